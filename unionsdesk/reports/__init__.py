"""Report definitions: each builds a `unionsdesk.table.Table` value that is rendered to PDF
(printing/) and to Excel (excel/) by the same code; reports read services and the database,
printing/ and excel/ never import reports/."""
