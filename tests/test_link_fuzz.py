"""Hostile link values on every page: no crash, no hang, no traceback (a sample here; benchmarks.link_fuzz runs all)."""

import re

import pytest

from corpora.links import PAGES, VALUES, WORKBENCH, fuzz


@pytest.mark.slow  # every page with hostile values (~25 s): the full suite's
@pytest.mark.parametrize("i,page_name", list(enumerate(PAGES)), ids=PAGES)
def test_hostile_link_values_never_crash_or_hang(i, page_name):
    counts, failures = fuzz([page_name], VALUES[i % 6 :: 6], WORKBENCH if page_name == "workbench" else [])
    assert not failures, failures
    assert counts["refused"] + counts["valid"] == sum(counts.values())


def test_a_title_from_a_link_is_plain_text():
    import base64
    import zlib

    from streamlit.testing.v1 import AppTest

    from corpora.links import ROOT

    toml = 'title = "![x](https://example.org/x.png) <img src=x> [click](https://example.org)"\nduration_h = 48\n'
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["wb_s"] = base64.urlsafe_b64encode(zlib.compress(toml.encode())).decode()
    at.switch_page("pages/workbench.py").run()
    shown = [c.value for c in at.caption if "A (solid)" in c.value]
    title = shown[0].split(": ", 1)[1] if shown else ""
    assert title and not re.search(r"(?<!\\)[<>\[\]()!]", title), shown  # every Markdown/HTML character escaped
