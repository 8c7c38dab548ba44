"""Colour is readable: every series colour has at least 3:1 contrast with the white plot (WCAG 2.1 1.4.11)."""

from ui import theme
from ui.theme import contrast


def test_every_series_colour_stands_out_from_the_plot_background():
    series = {
        **dict(zip(theme.COLOUR_NAMES, theme.PALETTE)),
        **theme.PLAN_COLOURS,
        **{f"blue scale {i}": c for i, c in enumerate(theme.BLUES)},
        **{k: v for k, v in theme.ROLE_COLOURS.items() if k != "free"},  # free receptors: outlined fills
    }
    low = {k: round(contrast(c), 2) for k, c in series.items() if contrast(c) < 3.0}
    assert not low, low


def test_the_contrast_formula_matches_known_pairs():
    assert round(contrast("#000000"), 1) == 21.0 and round(contrast("#FFFFFF"), 1) == 1.0
    assert round(contrast("#767676"), 2) == 4.54  # the classic 4.5:1 grey
