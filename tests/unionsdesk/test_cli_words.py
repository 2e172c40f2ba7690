"""What the `unionsdesk` command prints is Chinese (argparse's own words included), and
every command line README.md shows is accepted as written."""

from __future__ import annotations

import argparse
import re
import shlex
from pathlib import Path

import pytest

from unionsdesk.cli import ArgumentParser, build_parser, main, window_parser
from unionsdesk.db.open import open_database
from unionsdesk.services.aid import campaigns
from unionsdesk.services.common.users import first_admin

README = Path(__file__).resolve().parents[2] / "README.md"
HELP_ENGLISH = re.compile(
    r"usage:|positional arguments|options:|optional arguments|show this help|show program"
)
ENGLISH = re.compile(
    HELP_ENGLISH.pattern + r"|argument |invalid |required|unrecognized|expected |choose from|"
    r"not allowed|ambiguous"
)


def all_parsers(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    found = [parser]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                found.extend(all_parsers(child))
    return found


def test_every_help_page_is_chinese() -> None:
    parsers = all_parsers(build_parser())
    assert len(parsers) > 15
    for parser in parsers:
        assert isinstance(parser, ArgumentParser)
        text = parser.format_help()
        assert not HELP_ENGLISH.search(text), f"{parser.prog}:\n{text}"
        assert "用法：" in text and "显示本帮助并退出" in text
        # option values are named in Chinese (--db 数据库), not in capitals (--db DB)
        assert not re.search(r"--[a-z-]+ [A-Z]{2,}", text), f"{parser.prog}:\n{text}"


@pytest.mark.parametrize(
    "argv",
    [
        ["frobnicate"],
        ["campaign", "list", "--year", "abc"],
        ["print", "receipts", "--campaign", "1", "--line", "x", "o.pdf"],
        ["print", "receipts", "o.pdf"],
        ["print", "receipts", "--campaign"],
        ["backup", "--keep", "many", "--nonsense"],
        ["export"],
        ["print", "signoff", "--campaign", "1", "--notice-from", "明天", "o.pdf"],
    ],
)
def test_errors_are_one_chinese_line(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "参数错误" in err
    assert not ENGLISH.search(err), err


def readme_commands() -> list[str]:
    """The command column of README's tables: every `unionsdesk …` a clerk may copy."""
    text = README.read_text(encoding="utf-8")
    found = re.findall(r"^\| `(unionsdesk[^`]*)`", text, re.M)
    # a row naming several commands at once ("import/export/print list a\|b") is a
    # summary, not a line to copy
    return [c for c in found if "\\|" not in c and not re.match(r"unionsdesk \S*/", c)]


# README's placeholders → values the demo database has (the file names stay as written)
PLACEHOLDERS = {
    "明细号,明细号…": "{lines}",
    "汇总.pdf 或 汇总.xlsx": "汇总.pdf",
    "--campaign 编号": "--campaign {campaign}",
    "[批次编号]": "",
    "--union 工会": "--union 城关镇总工会",
    "备份文件": "备份.sqlite3",
    "--to 目录": "--to 备份目录",
}


def as_argv(command: str, **values: object) -> list[str]:
    for placeholder, value in PLACEHOLDERS.items():
        command = command.replace(placeholder, value.format(**values))
    command = command.replace("[", " ").replace("]", " ")
    command = re.sub(r"(?<=\s)\w*编号…?(?=\s|$)", "1", command)  # 项目编号, 编号… : a number
    return shlex.split(command)[1:]


def test_readme_command_lines_parse_as_written() -> None:
    commands = readme_commands()
    assert len(commands) > 20
    parser = build_parser()
    schematic = []
    for command in commands:
        argv = as_argv(command, campaign=3, lines="308,320,330")
        if any("或" in a for a in argv):  # "2026或2026Q3": a row showing the choices
            schematic.append(command)
            continue
        assert "…" not in " ".join(argv), command
        if not argv or argv[0].startswith("--"):  # the window's own options
            window_parser().parse_args(argv)
            continue
        try:
            args = parser.parse_args(argv)
        except SystemExit:  # pragma: no cover - the message is on stderr
            pytest.fail(f"README 中的命令无法解析：{command}")
        assert hasattr(args, "func"), command
        if argv[:2] == ["print", "receipts"]:  # the example that once swallowed the file name
            assert args.line == [308, 320, 330] and str(args.out) == "收据.pdf"
    assert len(schematic) <= 2, schematic  # most rows are lines to copy as they are


def test_readme_receipts_example_runs(demo_db_file: Path, tmp_path: Path) -> None:
    db = open_database(demo_db_file)
    admin = first_admin(db)
    c = next(c for c in campaigns.list_campaigns(db, admin) if c.status == "已发放")
    lines = [p.id for p in campaigns.list_payouts(db, admin, c.id)][:3]
    db.dispose()
    (command,) = [c for c in readme_commands() if c.startswith("unionsdesk print receipts")]
    argv = as_argv(command, campaign=c.id, lines=",".join(map(str, lines)))
    argv = [str(tmp_path / a) if a.endswith(".pdf") else a for a in argv]
    assert main([*argv, "--db", str(demo_db_file)]) == 0
    assert (tmp_path / "收据.pdf").stat().st_size > 1000
