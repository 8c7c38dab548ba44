"""Every hostile command line of corpora/commands.py ends as it must, cleanly, and changes no input."""

import contextlib
import io

import pytest

from corpora.commands import CASES, argv, fingerprint, judge, prepare
from model import cli

pytestmark = pytest.mark.slow  # 53 command lines (~10 s): the full suite's


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    return prepare(tmp_path_factory.mktemp("commands"))


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.klass}: {' '.join(c.args)[:60]}")
def test_a_hostile_command_ends_as_it_must_and_loses_nothing(case, files):
    before = fingerprint(files)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cli.main(argv(case, files))
        except SystemExit as e:  # argparse's own refusals
            code = e.code
    assert judge(case, code, out.getvalue(), err.getvalue()) == "ok", (code, out.getvalue()[-500:], err.getvalue())
    assert fingerprint(files) == before, "an input file was changed"


def test_every_class_of_the_issue_has_cases_that_must_be_refused_and_cases_that_must_run():
    classes = {c.klass for c in CASES}
    assert classes == {"data lost", "hangs", "tracebacks", "nonsense", "no NaN", "injection", "events"}
    assert all(c.want in ("refused", "valid") for c in CASES)
