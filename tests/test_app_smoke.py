from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
PAGES = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "pages").glob("*.py"))


def app() -> AppTest:
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)


def test_home_runs_without_exceptions():
    at = app().run()
    assert not at.exception
    assert any("not for clinical decisions" in w.value for w in at.warning)


@pytest.mark.parametrize("path", PAGES)
def test_every_page_runs_without_exceptions(path):
    at = app().run()
    at.switch_page(path).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title, "every page has a title"


@pytest.mark.parametrize("path", PAGES)
def test_every_page_runs_in_presentation_mode(path):
    at = app()
    at.session_state["present"] = True
    at.run()
    at.switch_page(path).run()
    assert not at.exception, [e.value for e in at.exception]


def test_the_heap_alive_after_the_first_page_run_is_left_out_of_full_collections():
    import gc

    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception
    frozen = gc.get_freeze_count()
    assert frozen > 10_000  # the libraries and registries imported by the first run
    at.run()
    assert gc.get_freeze_count() <= frozen  # once per process: what later runs leave is still collected
