"""The ``unionsdesk`` command.

With no sub-command it opens the window. Each area registers its own
sub-commands from a module listed in ``COMMAND_MODULES``. Exit codes: 0 done;
2 bad input, nothing written; 1 anything else. Errors are one sentence; a
traceback only with ``--debug``.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import re
import sys
import traceback
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from unionsdesk import APP_TITLE, logs, version
from unionsdesk.errors import UnionsDeskError

COMMAND_MODULES = (
    "unionsdesk.commands.system",
    "unionsdesk.commands.members",
    "unionsdesk.commands.aid",
    "unionsdesk.commands.registers",
    "unionsdesk.commands.rights",
    "unionsdesk.commands.mutual",
    "unionsdesk.commands.sites",
)

Handler = Callable[[argparse.Namespace], int]


# argparse's own messages (it builds them with gettext, for which Python ships no
# Chinese catalogue) → what the clerk reads; the last pattern catches the rest.
_TYPE_NAMES = {"int": "整数", "float": "数字", "Path": "文件路径"}
_ERRORS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (re.compile(r"the following arguments are required: (.*)"), lambda m: f"缺少必填参数：{m[1]}"),
    (re.compile(r"unrecognized arguments: (.*)"), lambda m: f"无法识别的参数：{m[1]}"),
    (
        re.compile(r"ambiguous option: (\S+) could match (.*)"),
        lambda m: f"选项 {m[1]} 不明确，可能是：{m[2]}",
    ),
    (
        re.compile(r"argument (\S+): invalid (\w+) value: '(.*)'"),
        lambda m: f"参数 {m[1]}：“{m[3]}”不是有效的{_TYPE_NAMES.get(m[2], '值')}",
    ),
    (
        re.compile(r"argument (\S+): invalid choice: '(.*)' \(choose from (.*)\)"),
        lambda m: f"参数 {m[1]}：没有“{m[2]}”这一项（可选：{m[3]}）",
    ),
    (re.compile(r"argument (\S+): expected one argument"), lambda m: f"参数 {m[1]} 后面须写一个值"),
    (
        re.compile(r"argument (\S+): expected at least one argument"),
        lambda m: f"参数 {m[1]} 后面至少须写一个值",
    ),
    (
        re.compile(r"argument (\S+): expected (\d+) arguments?"),
        lambda m: f"参数 {m[1]} 后面须写 {m[2]} 个值",
    ),
    (
        re.compile(r"argument (\S+): not allowed with argument (\S+)"),
        lambda m: f"参数 {m[1]} 不能与 {m[2]} 同时使用",
    ),
    (
        re.compile(r"argument (\S+): ignored explicit argument '(.*)'"),
        lambda m: f"参数 {m[1]} 不接受值“{m[2]}”",
    ),
    (re.compile(r"argument (\S+): (.*)"), lambda m: f"参数 {m[1]}：{m[2]}"),
)


_METAVARS = {
    "db": "数据库", "campaign": "活动编号", "union": "工会", "year": "年度", "out": "输出文件",
    "file": "文件", "report": "错误清单.xlsx", "limit": "条数", "keep": "份数", "to": "目标",
    "from": "来源", "unions": "工会数", "size": "大小", "tab": "页签", "what": "类型",
    "admin_login": "登录名", "layout": "格式",
}  # fmt: skip


def chinese_error(message: str) -> str:
    """argparse's English error ``message`` in Chinese (a message already in Chinese,
    from our own type checks, keeps its words)."""
    for pattern, render in _ERRORS:
        m = pattern.fullmatch(message)
        if m:
            return render(m)
    return message


class HelpFormatter(argparse.HelpFormatter):
    """``--help`` with 用法： instead of usage:."""

    def add_usage(
        self,
        usage: str | None,
        actions: Any,
        groups: Any,
        prefix: str | None = None,
    ) -> None:
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)


class ArgumentParser(argparse.ArgumentParser):
    """argparse in Chinese: its help headings and the help of -h, and errors as one
    Chinese line (exit 2) instead of a usage dump."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        given = kwargs.get("formatter_class", HelpFormatter)
        if not issubclass(given, HelpFormatter):  # e.g. RawDescriptionHelpFormatter: 用法： too
            given = type(f"Chinese{given.__name__}", (HelpFormatter, given), {})
        kwargs["formatter_class"] = given
        parents = kwargs.pop("parents", [])
        super().__init__(*args, **kwargs)
        self._positionals.title = "位置参数"
        self._optionals.title = "选项"
        for action in self._actions:
            if isinstance(action, argparse._HelpAction):
                action.help = "显示本帮助并退出"
        for parent in parents:  # as argparse does, now that the group titles match
            self._add_container_actions(parent)
            self._defaults.update(parent._defaults)

    def add_argument(self, *args: Any, **kwargs: Any) -> Any:
        """Values shown in Chinese in ``--help`` (数据库, 活动编号 …) unless a metavar is given."""
        name = (args[0] if args else kwargs.get("dest", "")).lstrip("-").replace("-", "_")
        takes_value = kwargs.get("action") in (None, "store", "append", "extend")
        metavar = kwargs.get("metavar")
        if isinstance(metavar, str) and re.fullmatch(r"[A-Z_]{2,}(\.\w+)?", metavar):
            del kwargs["metavar"]  # an English placeholder (ERRORS.xlsx): ours instead
        if "metavar" not in kwargs and takes_value:
            helps = str(kwargs.get("help") or "")
            short = helps if 0 < len(helps) <= 8 and not re.search(r"[，（(：]", helps) else "值"
            kwargs["metavar"] = _METAVARS.get(name, short)
        return super().add_argument(*args, **kwargs)

    def error(self, message: str) -> Any:
        self.exit(2, f"{self.prog}：参数错误：{chinese_error(message)}（用 --help 查看用法）\n")


def common_options() -> argparse.ArgumentParser:
    p = ArgumentParser(add_help=False)
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
    parser.add_argument(
        "--version", action="version", version=f"unionsdesk {version()}", help="显示版本号并退出"
    )
    parser.add_argument(
        "--db", default=None, help="数据库文件路径或 SQLAlchemy URL（默认：用户数据目录）"
    )
    parser.add_argument("--debug", action="store_true", default=False, help="出错时显示详细信息")
    parser.add_argument("--screenshot", metavar="图片.png", help="打开窗口后截图保存并退出")
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
        if handler is not run_gui:  # commands check the database at open (see db/open.py)
            with _verify_at_open():
                return handler(args)
        return handler(args)
    except BrokenPipeError:  # `unionsdesk … | head`: the reader went away, the work is done
        _silence_stdout()
        return 0
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


@contextlib.contextmanager
def _verify_at_open() -> Iterator[None]:
    from unionsdesk.db import open as db_open

    before = db_open.VERIFY_DEFAULT, db_open.READ_ONLY_FALLBACK
    db_open.VERIFY_DEFAULT = db_open.READ_ONLY_FALLBACK = True
    try:
        yield
    finally:
        db_open.VERIFY_DEFAULT, db_open.READ_ONLY_FALLBACK = before


def _silence_stdout() -> None:
    """Point stdout at the null device, so the interpreter's final flush does not
    report the broken pipe again."""
    import os

    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def _database_failure(exc: Exception) -> str | None:
    """The clerk's sentence for a database failure no service translated (the driver
    raises it directly during a bulk insert, e.g. a full disk mid-import); the
    transaction was rolled back, so nothing was written."""
    import sqlite3

    from sqlalchemy.exc import DatabaseError, OperationalError

    if not isinstance(exc, sqlite3.DatabaseError | OperationalError | DatabaseError):
        return None
    from unionsdesk.db.engine import translate_db_error

    return translate_db_error(exc)


if __name__ == "__main__":
    sys.exit(main())
