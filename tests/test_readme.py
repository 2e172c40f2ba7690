"""README's two commands stay true: CI runs the test command verbatim."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _bash_blocks() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return [b.strip() for b in re.findall(r"```bash\n(.*?)```", text, re.S)]


def test_ci_runs_the_readme_test_command() -> None:
    test_cmd = next(b for b in _bash_blocks() if "pytest" in b)
    ci_lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert test_cmd in ci_lines


def test_run_command_opens_the_demo() -> None:
    run_cmd = _bash_blocks()[0]
    assert "unionsdesk demo" in run_cmd and "--open" in run_cmd
