"""The code follows the house style (ruff, configured in pyproject.toml)."""

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def ruff(*args):
    return subprocess.run(
        [sys.executable, "-m", "ruff", *args], cwd=ROOT, capture_output=True, text=True, timeout=120
    )


def test_ruff_check():
    result = ruff("check", ".", "--output-format", "concise")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format():
    result = ruff("format", "--check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_test_module_imports_another():
    """Shared data and helpers live in tests/builders/ (fixtures in a conftest.py), so a
    test module can be read, moved or deleted on its own."""
    importing = []
    for path in sorted((ROOT / "tests").rglob("test_*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""] + [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            else:
                continue
            if any(name.split(".")[-1].startswith("test_") for name in names):
                importing.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not importing, importing


def test_tests_sign_in_through_tests_signin():
    """A forced sign-in skips the second factor: tests sign staff in with
    signin.verified_login (or signin.force_login_unverified for the gate), never with
    ``client.force_login`` directly."""
    direct = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted((ROOT / "tests").rglob("*.py"))
        if path.name != "signin.py" and path.name != "test_code_style.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if ".force_login(" in line and not line.lstrip().startswith(("#", "*", "``"))
    ]
    assert not direct, direct
