"""The model against human data: every check names its source and tolerance (model/validation.py)."""

import pytest

from model.validation import CHECKS


@pytest.mark.parametrize("check", CHECKS, ids=[c.id for c in CHECKS])
def test_model_matches_human_data(check):
    value, ok = check.evaluate()
    assert ok, f"{check.quantity}: model {value:.4g} {check.unit}, target {check.target} ({check.source})"


def test_checks_are_unique_and_sourced():
    assert len({c.id for c in CHECKS}) == len(CHECKS)
    assert all(c.source and c.low <= c.high for c in CHECKS)
