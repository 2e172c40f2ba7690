"""The PySide6 desktop application (imports ``unionsdesk``, never the reverse)."""
