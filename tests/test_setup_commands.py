"""The README's two set-up commands are the ones CI and users run, and they install what the code imports."""

import ast
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()
BASH = re.findall(r"```bash\n(.*?)\n```", README, flags=re.S)
APP_CMD = "python3 -m venv .venv && .venv/bin/pip install -r requirements.txt && .venv/bin/streamlit run app.py"
TEST_CMD = "python3 -m venv .venv && .venv/bin/pip install -r requirements-dev.txt && .venv/bin/python -m pytest -q"
IMPORT_NAMES = {"tomli_w": "tomli-w", "yaml": "pyyaml"}


def test_readme_gives_the_two_commands():
    assert APP_CMD in BASH and TEST_CMD in BASH


def test_ci_runs_the_readme_test_command_after_installing_the_dev_requirements():
    ci = (ROOT / ".ci" / "run").read_text()
    assert "pip install -q -r requirements-dev.txt" in ci
    assert TEST_CMD.rsplit("&& ", 1)[1] in ci
    assert "-r requirements.txt" in (ROOT / "requirements-dev.txt").read_text()


def test_every_third_party_import_is_pinned_in_the_requirements():
    pinned = {
        line.split("==")[0].strip().lower()
        for f in ("requirements.txt", "requirements-dev.txt")
        for line in (ROOT / f).read_text().splitlines()
        if "==" in line
    }
    runtime = {
        line.split("==")[0].strip().lower()
        for line in (ROOT / "requirements.txt").read_text().splitlines()
        if "==" in line
    }
    local = {"model", "ui", "pages", "tests", "benchmarks", "scripts", "corpora"}
    for folder, needed in (
        ("model", runtime),
        ("ui", runtime),
        ("pages", runtime),
        ("tests", pinned),
        ("corpora", pinned),
    ):
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                names = (
                    [a.name for a in node.names]
                    if isinstance(node, ast.Import)
                    else ([node.module] if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module else [])
                )
                for name in names:
                    top = name.split(".")[0]
                    if top in sys.stdlib_module_names or top in local or top == "__future__":
                        continue
                    if folder == "tests" and (ROOT / "tests" / f"{top}.py").exists():  # a test module's helpers
                        continue
                    assert IMPORT_NAMES.get(top, top).lower() in needed, (
                        f"{path.relative_to(ROOT)} imports {top}, which is not pinned in the requirements"
                    )
