"""init, demo, backup, restore, check."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from typing import Any

from unionsdesk.db.open import open_database
from unionsdesk.errors import UserError
from unionsdesk.fields import OFFICE

PASSWORD_ENV = "UNIONSDESK_ADMIN_PASSWORD"


def register(sub: Any, parents: list[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("init", parents=parents, help="初始化新数据库：单位信息和管理员密码")
    for spec in OFFICE.fields:
        p.add_argument(
            f"--office-{spec.name.replace('_', '-')}", dest=f"office_{spec.name}", help=spec.label
        )
    p.add_argument("--admin-login", default="admin", help="管理员登录名（默认 admin）")
    p.add_argument(
        "--admin-password", help=f"管理员密码（也可用环境变量 {PASSWORD_ENV}；不给则提示输入）"
    )
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("demo", parents=parents, help="生成示例县总工会数据库（演示用）")
    p.add_argument("--open", action="store_true", help="生成后（或已存在时）直接打开窗口")
    p.add_argument(
        "--size", type=int, default=20000, help="会员人数（默认 20000；基准测试用 200000）"
    )
    p.add_argument("--unions", type=int, default=300, help="基层工会数（默认 300）")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("backup", parents=parents, help="备份数据库到带日期的文件")
    p.add_argument("--to", type=Path, help="备份目录（默认：数据库旁的 backups 目录），可选U盘")
    p.add_argument("--keep", type=int, help="保留最近几份（默认 30）")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", parents=parents, help="从备份文件恢复（先校验，原数据另存）")
    p.add_argument("file", type=Path, help="备份文件")
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser("check", parents=parents, help="检查数据库完整性、外键和数据结构版本")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser(
        "copy-db", help="把全部数据复制到另一个（空的）数据库，例如从本机文件迁到办公室服务器"
    )
    p.add_argument("--from", dest="source", required=True, help="源数据库（文件路径或 URL）")
    p.add_argument(
        "--to", dest="target", required=True, help="目标数据库（新的空文件或 PostgreSQL URL）"
    )
    p.add_argument(
        "--debug", action="store_true", default=argparse.SUPPRESS, help="出错时显示详细信息"
    )
    p.set_defaults(func=cmd_copy_db)


def _ask(prompt: str) -> str:
    if not sys.stdin or not sys.stdin.isatty():
        raise UserError(f"缺少必填项：{prompt}（非交互方式请用命令行参数给出）")
    return input(f"{prompt}：").strip()


def cmd_init(args: argparse.Namespace) -> int:
    from unionsdesk.services.common.office import initialise, is_initialised

    db = open_database(args.db)
    if is_initialised(db):
        raise UserError("该数据库已经初始化过，不能重复初始化")
    office = {spec.name: getattr(args, f"office_{spec.name}") for spec in OFFICE.fields}
    if not office["name"]:
        office["name"] = _ask("单位名称")
    password = args.admin_password or os.environ.get(PASSWORD_ENV)
    if not password:
        if not sys.stdin or not sys.stdin.isatty():
            raise UserError(f"缺少管理员密码：请用 --admin-password 或环境变量 {PASSWORD_ENV} 给出")
        password = getpass.getpass("管理员密码：")
        if getpass.getpass("再输入一次：") != password:
            raise UserError("两次输入的密码不一致")
    admin = initialise(db, office, args.admin_login, password)
    print(f"已初始化：{office['name']}；管理员登录名 {admin.login}")
    print(f"数据库：{db.url}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from unionsdesk.demo import DEMO_ADMIN, DEMO_PASSWORD, create_demo
    from unionsdesk.services.common.office import get_office, is_initialised

    db = open_database(args.db)
    if is_initialised(db):
        if not args.open:
            raise UserError(
                f"该数据库已有数据（{get_office(db).name}），未做改动；换一个 --db 文件再试"
            )
        print(f"已有数据：{get_office(db).name}")
    else:
        if args.size < 0 or args.unions < 1:
            raise UserError("--size 不能为负数，--unions 至少为 1")
        create_demo(db, members=args.size, unions=args.unions)
        print(f"已生成示例数据：{db.url}（{args.unions}个基层工会，{args.size}名会员）")
        print(f"演示管理员：登录名 {DEMO_ADMIN}，密码 {DEMO_PASSWORD}")
    db.dispose()
    if args.open:
        from unionsdesk.cli import run_gui

        return run_gui(argparse.Namespace(db=args.db, screenshot=None, tab=None, size="1280x800"))
    return 0


def _read_only_file(target: str | None) -> bool:
    """Whether ``target`` is an SQLite file that cannot be written (read-only file,
    folder or mount): read-only commands then open it for reading only."""
    from unionsdesk.db.engine import resolve_url, sqlite_path, writable

    path = sqlite_path(resolve_url(target))
    return path is not None and path.is_file() and not (writable(path) and writable(path.parent))


def cmd_backup(args: argparse.Namespace) -> int:
    from unionsdesk.services.common.maintenance import backup_now
    from unionsdesk.services.common.users import first_admin

    if args.keep is not None and args.keep < 1:
        raise UserError("--keep 至少为 1")
    db = open_database(args.db, must_exist=True, read_only=_read_only_file(args.db))
    target = backup_now(db, first_admin(db), args.to, args.keep)
    print(f"已备份到：{target}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from unionsdesk.db.backup import verify_backup
    from unionsdesk.db.engine import resolve_url, sqlite_path
    from unionsdesk.errors import BackupError
    from unionsdesk.services.common.maintenance import restore_file

    verify_backup(args.file)  # before touching the live database at all
    path = sqlite_path(resolve_url(args.db))
    if path is None:
        raise BackupError(
            "当前使用的是数据库服务器（PostgreSQL），请由服务器管理员用 pg_dump 备份和恢复；"
            "也可用 copy-db 把备份文件复制到新的空数据库"
        )
    # The live file is not opened first: it may be damaged, truncated or missing.
    outcome = restore_file(path, args.file)
    print(outcome.message(args.file))
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from unionsdesk.db.engine import DatabaseDamagedError
    from unionsdesk.services.common.maintenance import check

    try:
        db = open_database(args.db, must_exist=True, migrate=False, verify=False, read_only=True)
    except DatabaseDamagedError as exc:  # too damaged to open at all (header, truncation)
        print("数据库已损坏")
        print(f"检查结果：{exc}")
        print("结论：数据库已损坏，请从备份恢复")
        return 1
    report = check(db)
    for line in report.lines():
        print(line)
    if report.damaged:
        print("结论：数据库已损坏，请从备份恢复")
    else:
        print("结论：" + ("数据库正常" if report.ok else "发现问题，请联系管理员"))
    return 0 if report.ok else 1


def cmd_copy_db(args: argparse.Namespace) -> int:
    from unionsdesk.db.copy import copy_database

    source = open_database(args.source, must_exist=True)
    target = open_database(args.target)
    report = copy_database(source, target)
    for name, (a, b) in report.counts.items():
        if a or b:
            print(f"{name}: {a} → {b}" + ("" if a == b else "  （不一致！）"))
    if not report.ok:
        print("复制后行数不一致，请勿使用目标数据库", file=sys.stderr)
        return 1
    print("复制完成，行数全部一致")
    return 0
