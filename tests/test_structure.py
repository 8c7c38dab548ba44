"""The layers hold: pages -> ui -> model, no import cycle inside model/, pages keep no state of their own."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MODEL = sorted((ROOT / "model").rglob("*.py"))
PAGES = sorted((ROOT / "pages").glob("*.py"))


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__") for p in MODEL}


def imports(path: Path) -> set[str]:
    """Every module ``path`` imports (relative imports resolved; ``from a import b`` gives a.b if that is a
    module of the project, else a)."""
    here = module_name(path).split(".")
    package = here if path.name == "__init__.py" else here[:-1]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package[: len(package) - node.level + 1] + ([base] if base else []))
            found |= {f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base for a in node.names}
    return found


@pytest.mark.parametrize("path", MODEL, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_the_model_never_imports_the_ui_or_a_plotting_library(path):
    bad = {m for m in imports(path) if m.split(".")[0] in {"streamlit", "matplotlib", "ui", "pages", "altair"}}
    assert not bad, bad


def test_there_is_no_import_cycle_inside_the_model():
    names = {module_name(p): p for p in MODEL}
    graph = {m: {i for i in imports(p) if i in names and i != m} for m, p in names.items()}
    done: set[str] = set()

    def visit(m: str, trail: list[str]) -> None:
        if m in trail:
            raise AssertionError(" -> ".join([*trail[trail.index(m) :], m]))
        if m in done:
            return
        for n in sorted(graph[m]):
            visit(n, [*trail, m])
        done.add(m)

    for m in sorted(graph):
        visit(m, [])
    assert "model.simulation" in graph and "model.population" in graph  # the graph was really built


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_pages_read_their_controls_through_the_controls_layer(path):
    """A page's values come from its Controls (or a ui helper), never straight from session_state."""
    text = path.read_text(encoding="utf-8")
    assert "session_state" not in text
    assert "Control(" in text or "controls" in text


def test_the_server_does_not_force_a_full_garbage_collection_after_every_rerun():
    """A forced gc.collect(2) per script run was ~70 % of a loaded server's time (docs/serving.md)."""
    import tomllib

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["runner"]["postScriptGC"] is False


def test_the_page_registry_lists_every_page_file_once():
    from ui.registry import PAGES as REGISTERED

    assert sorted(p.path for p in REGISTERED) == sorted(p.relative_to(ROOT).as_posix() for p in PAGES)
    assert len({p.url for p in REGISTERED}) == len(REGISTERED) and REGISTERED[0].url == "home"
    assert all(p.blurb for p in REGISTERED[1:])  # Home lists every lesson with its line


def test_benchmarks_and_scripts_import_no_test_module():
    import ast

    for path in [*ROOT.glob("benchmarks/*.py"), *ROOT.glob("scripts/*.py"), *ROOT.glob("corpora/*.py")]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
        names += [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
        assert not [m for m in names if m == "tests" or m.startswith("tests.")], path.name
