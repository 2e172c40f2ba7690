"""UnionsDesk (工会通): the Qt-free core of the county trade-union office program."""

__version__ = "0.1.0"
APP_NAME = "UnionsDesk"
APP_TITLE = "工会通"
