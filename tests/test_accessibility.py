"""Colour is readable: every series colour has at least 3:1 contrast with the white plot (WCAG 2.1 1.4.11)."""

from ui import theme


def contrast(a: str, b: str = "#FFFFFF") -> float:
    """WCAG contrast ratio of two sRGB colours."""

    def luminance(h: str) -> float:
        c = [int(h.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
        c = [x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4 for x in c]
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]

    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


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
