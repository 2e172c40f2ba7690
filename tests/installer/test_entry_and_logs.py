"""`python -m unionsdesk`, `--version` from pyproject.toml, and the log (issue #15, items 5 and 7).

The log tests run the program in fresh processes with ``UNIONSDESK_LOG_DIR`` set, so
the log is opened exactly as at a clerk's start and nothing touches the real data folder.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import unionsdesk
from unionsdesk import logs

ROOT = Path(__file__).resolve().parents[2]
ID_NUMBER = "11010519491231002X"
PHONE = "13812345678"


def pyproject_version() -> str:
    return str(tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["version"])


def run(*args: str, log_dir: Path, code: str | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, UNIONSDESK_LOG_DIR=str(log_dir), UNIONSDESK_NO_NATIVE_BOX="1")
    command = (
        [sys.executable, "-c", code, *args] if code else [sys.executable, "-m", "unionsdesk", *args]
    )
    return subprocess.run(
        command, capture_output=True, text=True, stdin=subprocess.DEVNULL, env=env, timeout=120
    )


def test_python_m_unionsdesk_prints_the_pyproject_version(tmp_path: Path) -> None:
    r = run("--version", log_dir=tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == f"unionsdesk {pyproject_version()}"
    assert unionsdesk.__version__ == pyproject_version()
    assert not (tmp_path / logs.LOG_FILE).exists()  # --version writes no log


def test_installed_copies_read_the_version_from_their_metadata() -> None:
    from importlib.metadata import version

    found = unionsdesk._dist_info_version()
    assert found is not None and found == version("unionsdesk")


def test_a_command_logs_version_database_start_and_stop(demo_db_file: Path, tmp_path: Path) -> None:
    logs_dir = tmp_path / "logs"
    r = run("check", "--db", str(demo_db_file), log_dir=logs_dir)
    assert r.returncode == 0, r.stderr
    text = (logs_dir / logs.LOG_FILE).read_text("utf-8")
    assert f"start check: version {pyproject_version()}" in text
    assert f"database {demo_db_file}" in text
    assert text.rstrip().endswith("INFO unionsdesk: stop")


def test_an_unexpected_error_is_logged_with_its_traceback_but_no_personal_data(
    tmp_path: Path,
) -> None:
    code = f"""
import sys
from unionsdesk import logs
logs.start("postgresql+psycopg://clerk:s3cret@10.0.0.1/db")
try:
    raise RuntimeError("保存失败 {ID_NUMBER} 电话 {PHONE} password=hunter2 卡号 6222021234567890123")
except RuntimeError as exc:
    logs.log_unexpected(exc, "test")
"""
    r = run(log_dir=tmp_path, code=code)
    assert r.returncode == 0, r.stderr
    text = (tmp_path / logs.LOG_FILE).read_text("utf-8")
    assert "Traceback (most recent call last)" in text and "RuntimeError: 保存失败" in text
    for secret in (ID_NUMBER, PHONE, "hunter2", "s3cret", "6222021234567890123"):
        assert secret not in text
    assert "[身份证号]" in text and "[手机号]" in text and "clerk:***@" in text


def test_a_failure_before_the_window_is_logged_and_told(tmp_path: Path) -> None:
    """What pythonw.exe would hide: the GUI's import fails; the clerk is told, the log has it."""
    code = """
import runpy, sys
sys.modules["unionsdesk.ui.app"] = None  # as if PySide6's DLLs failed to load
sys.argv = ["unionsdesk"]
runpy.run_module("unionsdesk", run_name="__main__")
"""
    r = run(log_dir=tmp_path, code=code)
    assert r.returncode == 1
    assert "Traceback" not in r.stderr and "错误：" in r.stderr
    text = (tmp_path / logs.LOG_FILE).read_text("utf-8")
    assert "start window" in text and "ModuleNotFoundError" in text and "Traceback" in text


def test_a_log_folder_that_cannot_be_written_does_not_stop_the_program(
    demo_db_file: Path, tmp_path: Path
) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("x")
    r = run("check", "--db", str(demo_db_file), log_dir=blocked / "logs")
    assert r.returncode == 0 and r.stderr == "", r.stderr
    assert "数据库正常" in r.stdout


def test_no_console_means_a_native_box(monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(logs, "native_message_box", lambda t, m: shown.append((t, m)) or True)
    monkeypatch.setattr(sys, "stderr", None)  # pythonw.exe
    assert not logs.has_console()
    logs.tell_user("数据文件夹无法写入")
    assert len(shown) == 1 and "数据文件夹无法写入" in shown[0][1]


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        (f"身份证 {ID_NUMBER} 重复", "身份证 [身份证号] 重复"),
        ("旧号 110105491231002", "旧号 [号码]"),
        (f"手机{PHONE}", "手机[手机号]"),
        ("密码：abc123 错误", "密码：*** 错误"),
        ("第 2026 年 收据 No.000123 金额 1500.00", "第 2026 年 收据 No.000123 金额 1500.00"),
        ("2026-12-04 15:47:20,368 18080", "2026-12-04 15:47:20,368 18080"),
    ],
)
def test_redact(text: str, kept: str) -> None:
    assert logs.redact(text) == kept
