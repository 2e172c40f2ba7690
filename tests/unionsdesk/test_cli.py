"""The `unionsdesk` command as a clerk or an installer script uses it."""

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from unionsdesk import __version__
from unionsdesk.cli import main
from unionsdesk.demo import DEMO_PASSWORD
from unionsdesk.services.common import users


def run(*args: str) -> subprocess.CompletedProcess[str]:
    """The real console script path, in a fresh process (stdin closed, as in CI)."""
    return subprocess.run(
        [sys.executable, "-m", "unionsdesk.cli", *args],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )


def test_version() -> None:
    r = run("--version")
    assert r.returncode == 0 and __version__ in r.stdout


def test_unknown_command_and_bad_option() -> None:
    r = run("frobnicate")
    assert r.returncode == 2 and "参数错误" in r.stderr and "Traceback" not in r.stderr
    r = run("backup", "--keep", "many")
    assert r.returncode == 2 and "参数错误" in r.stderr


def test_init_non_interactive(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "o.sqlite3"
    code = main(
        ["init", "--db", str(db), "--office-name", "某县总工会", "--office-region-code", "360830",
         "--admin-login", "boss", "--admin-password", "pa55word"]
    )  # fmt: skip
    assert code == 0, capsys.readouterr().err
    from unionsdesk.db.open import open_database

    d = open_database(db)
    assert users.login(d, "boss", "pa55word").role == "admin"
    d.dispose()
    assert (
        main(["init", "--db", str(db), "--office-name", "x", "--admin-password", "pa55word"]) == 2
    )
    assert "已经初始化" in capsys.readouterr().err


def test_init_without_password_and_no_terminal_writes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "o.sqlite3"
    r = run("init", "--db", str(db), "--office-name", "某县总工会")
    assert r.returncode == 2 and "缺少管理员密码" in r.stderr
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM office").fetchone()[0] == 0
    conn.close()


def test_init_rejects_bad_office_data(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "o.sqlite3"
    code = main(
        [
            "init",
            "--db",
            str(db),
            "--office-name",
            "x",
            "--office-credit-code",
            "12345",
            "--admin-password",
            "pa55word",
        ]
    )
    assert code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "统一社会信用代码" in err


def test_demo_then_refuse_second_demo(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "demo.sqlite3"
    assert main(["demo", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "admin" in out and DEMO_PASSWORD in out
    assert main(["demo", "--db", str(db)]) == 2
    assert "未做改动" in capsys.readouterr().err


def test_backup_restore_check(
    demo_db_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    usb = tmp_path / "usb"
    assert main(["backup", "--db", str(demo_db_file), "--to", str(usb)]) == 0
    [backup] = list(usb.iterdir())
    assert main(["check", "--db", str(demo_db_file)]) == 0
    assert "数据库正常" in capsys.readouterr().out
    assert main(["restore", str(backup), "--db", str(demo_db_file)]) == 0
    assert "恢复前的数据已另存为" in capsys.readouterr().out


def test_restore_of_a_broken_file_changes_nothing(demo_db_file: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    before = demo_db_file.read_bytes()
    r = run("restore", str(bad), "--db", str(demo_db_file))
    assert r.returncode == 2 and r.stderr.startswith("错误：") and r.stderr.count("\n") == 1
    assert demo_db_file.read_bytes() == before


@pytest.mark.parametrize("cmd", ["check", "backup"])
def test_missing_database_file(tmp_path: Path, cmd: str) -> None:
    r = run(cmd, "--db", str(tmp_path / "nothing.sqlite3"))
    assert r.returncode == 2 and "不存在" in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "nothing.sqlite3").exists()


def test_not_a_database_one_clear_line_and_debug_traceback(tmp_path: Path) -> None:
    f = tmp_path / "photo.jpg"
    f.write_bytes(b"\xff\xd8\xff\xe0" + b"x" * 2000)
    r = run("check", "--db", str(f))
    assert r.returncode == 2 and r.stderr.strip().count("\n") == 0 and "不是数据库文件" in r.stderr
    r = run("--debug", "check", "--db", str(f))
    assert r.returncode == 2 and "Traceback" in r.stderr


def test_wrong_password_via_login_service(demo_db_file: Path) -> None:
    from unionsdesk.db.open import open_database
    from unionsdesk.errors import AuthError

    d = open_database(demo_db_file)
    with pytest.raises(AuthError):
        users.login(d, "admin", "not-it")
    d.dispose()
