"""Bundled fonts, icons and templates (installed as unionsdesk.resources)."""
