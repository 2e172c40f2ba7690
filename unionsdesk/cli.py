"""The ``unionsdesk`` command.

With no sub-command it opens the window. Each area registers its own
sub-commands from a module listed in ``COMMAND_MODULES``. Exit codes: 0 done;
2 bad input, nothing written; 1 anything else. Errors are one sentence; a
traceback only with ``--debug``.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import traceback
from collections.abc import Callable, Sequence
from typing import Any

from unionsdesk import APP_TITLE, logs, version
from unionsdesk.errors import UnionsDeskError

COMMAND_MODULES = (
    "unionsdesk.commands.system",
    "unionsdesk.commands.members",
    "unionsdesk.commands.aid",
)

Handler = Callable[[argparse.Namespace], int]


class ArgumentParser(argparse.ArgumentParser):
    """argparse that exits 2 with one Chinese line instead of a usage dump."""

    def error(self, message: str) -> Any:
        self.exit(2, f"{self.prog}: 参数错误：{message}（用 --help 查看用法）\n")


def common_options() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(add_help=False)
    p.add_argument("--db", default=argparse.SUPPRESS, help="数据库文件路径或 SQLAlchemy URL")
    p.add_argument(
        "--debug", action="store_true", default=argparse.SUPPRESS, help="出错时显示详细信息"
    )
    return p


def window_parser(add_help: bool = True) -> ArgumentParser:
    """The options of the window itself (no sub-command)."""
    parser = ArgumentParser(
        prog="unionsdesk", description=f"{APP_TITLE}：县级总工会业务管理程序", add_help=add_help
    )
    parser.add_argument("--version", action="version", version=f"unionsdesk {version()}")
    parser.add_argument(
        "--db", default=None, help="数据库文件路径或 SQLAlchemy URL（默认：用户数据目录）"
    )
    parser.add_argument("--debug", action="store_true", default=False, help="出错时显示详细信息")
    parser.add_argument("--screenshot", metavar="OUT.png", help="打开窗口后截图保存并退出")
    parser.add_argument("--tab", help="与 --screenshot 合用：要打开的页签名称，如 设置")
    parser.add_argument(
        "--size", default="1280x800", help="与 --screenshot 合用：窗口大小，如 1280x800"
    )
    return parser


def build_parser() -> ArgumentParser:
    parser = window_parser()
    sub = parser.add_subparsers(dest="command", metavar="命令", parser_class=ArgumentParser)
    parents = [common_options()]
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub, parents)
    return parser


def run_gui(args: argparse.Namespace) -> int:
    gui = importlib.import_module("unionsdesk.ui.app")
    result: int = gui.run(
        db_target=args.db, screenshot=args.screenshot, tab=args.tab, size=args.size
    )
    return result


def _window_only(argv: Sequence[str]) -> argparse.Namespace | None:
    """The arguments when they only open the window: then no command module (and
    so no SQLAlchemy) is imported before the login window is on screen."""
    if any(a in ("-h", "--help", "--version") for a in argv):
        return None
    args, rest = window_parser(add_help=False).parse_known_args(argv)
    return None if rest else args


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    window = _window_only(argv)
    args = window if window is not None else build_parser().parse_args(argv)
    handler: Handler = getattr(args, "func", run_gui)
    logs.start(getattr(args, "db", None), getattr(args, "command", None) or "window")
    try:
        return handler(args)
    except UnionsDeskError as exc:
        if args.debug:
            traceback.print_exc()
        print(f"错误：{exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("已取消", file=sys.stderr)
        return 1
    except Exception as exc:
        logs.log_unexpected(exc)
        if args.debug:
            traceback.print_exc()
        if handler is run_gui:  # under pythonw / a menu launch nobody reads stderr
            logs.show_if_no_console(f"工会通无法启动：{type(exc).__name__}: {exc}")
        message = _database_failure(exc)
        if message is not None:
            print(f"错误：{message}", file=sys.stderr)
            return 2
        if not args.debug:
            print(
                f"错误：程序内部错误（{type(exc).__name__}: {exc}）。加 --debug 可查看详细信息",
                file=sys.stderr,
            )
        return 1


def _database_failure(exc: Exception) -> str | None:
    """The clerk's sentence for a database failure no service translated (the driver
    raises it directly during a bulk insert, e.g. a full disk mid-import); the
    transaction was rolled back, so nothing was written."""
    import sqlite3

    from sqlalchemy.exc import OperationalError

    if not isinstance(exc, sqlite3.OperationalError | OperationalError):
        return None
    from unionsdesk.db.engine import translate_db_error

    return translate_db_error(exc)


if __name__ == "__main__":
    sys.exit(main())
