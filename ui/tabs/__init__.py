"""One module per main-window tab (see ``unionsdesk.ui.main_window.TABS``)."""
