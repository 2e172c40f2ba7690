"""Report definitions: a report builds a `Table` value that is rendered to PDF and Excel."""

from unionsdesk.reports.table import Column, ColumnKind, Table, column_totals

__all__ = ["Column", "ColumnKind", "Table", "column_totals"]
