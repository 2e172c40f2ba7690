"""Services: the only writers. Each public function is one transaction and
writes the audit log; it takes the acting ``CurrentUser`` and checks its role."""
