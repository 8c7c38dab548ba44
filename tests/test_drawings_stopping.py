"""The stopping, withdrawal, opioid-free-interval and craving figures: described once, drawn the same both ways.

Each description is built from the model's own output (as its page computes it), drawn for the screen
(Vega-Lite, checked against the schema) and for the files (matplotlib), and read back.
"""

import json

import numpy as np
import pytest
from drawing_checks import SCHEMA, domains, legend_colours, legends, marks, screen, walk
from matplotlib.colors import to_hex
from matplotlib.figure import Figure as MplFigure

from model import lessons
from model.population import simulate_population
from model.scenario import parse_scenario
from model.simulation import simulate
from ui.drawings import craving as craving_drawings
from ui.drawings import mpl, vega
from ui.drawings import stopping as drawings
from ui.drawings.spec import Band, Bars, Figure, Lines, Points, Rule, Spans, series_of
from ui.theme import GREYS, PLAN_COLOURS, colour, label, narrow_layout


def files(fig: Figure, present: bool = False, narrow: bool = False) -> MplFigure:
    with narrow_layout(narrow):
        return mpl.render(fig, present)


def check_both(fig: Figure, narrow: bool = False) -> tuple[list[dict], MplFigure]:
    """Every series of the description in the screen charts and in the file's legends, with its colour;
    every axis range as described, on both."""
    charts = screen(fig)
    drawn = files(fig, narrow=narrow)
    keys = legends(drawn)
    for p, chart in zip(fig.panels, charts):
        scale = legend_colours(chart)
        for layer in p.layers:
            if isinstance(layer, Lines):
                entries = [(s.label, s.colour) for s in layer.series]
            elif isinstance(layer, (Points, Bars, Spans, Band)) and layer.label:
                entries = [(layer.label, layer.colours[0] if isinstance(layer, Bars) else layer.colour)]
            else:
                continue
            for name, c in entries:
                text = json.dumps(chart)
                if isinstance(layer, Spans):  # a span names itself on the screen when pointed at
                    assert name in text and c in text
                    assert c.lower() in keys[name], (name, keys.get(name))
                elif isinstance(layer, Band):  # its median is named on the screen and in the file
                    assert f"{name}: median" in text and c in text
                    assert c.lower() in keys[f"{name}: median"]
                else:
                    assert scale[name] == c.lower(), (name, scale)
                    assert c.lower() in keys[name], (name, keys.get(name))
        for axis, which in ((p.x, "x"), (p.y, "y")):
            if axis.domain:
                assert domains(chart, which), which
                assert all(d == pytest.approx(list(axis.domain)) for d in domains(chart, which))
    for ax, p in zip(drawn.axes, fig.panels):
        if p.x.domain:
            assert ax.get_xlim() == pytest.approx(p.x.domain)
        if p.y.domain:
            assert ax.get_ylim() == pytest.approx(p.y.domain)
        if p.y.categories:
            assert [t.get_text() for t in ax.get_yticklabels()] == list(p.y.categories)
    assert all(name for name, _ in series_of(fig))
    return charts, drawn


def layers(fig: Figure, panel: int, kind: type) -> list:
    return [la for la in fig.panels[panel].layers if isinstance(la, kind)]


def test_the_schema_check_catches_a_bad_spec():
    assert list(SCHEMA.iter_errors({"mark": {"type": "no-such-mark"}, "data": {"values": []}}))


# --- the model's output, as the pages compute it ----------------------------------------------------


@pytest.fixture(scope="module")
def stopping_inputs():
    drug, route, mg, treatment, weeks = "heroin", "iv", 20.0, "daily tablets", 4
    gaps = [*range(0, 15), *range(16, 57, 2)]  # as pages/stopping.py: daily, then every other day
    before = lessons.usual_dose_before_treatment(drug, route, mg)
    after = lessons.usual_dose_after_stopping(drug, route, mg, treatment, weeks, gaps)
    risk = lessons.risk_window(after, before).to_numpy()
    return after, before, risk


@pytest.fixture(scope="module")
def course():
    agonist, gap, ntx = "methadone", 12, 50
    _, frame, tablet = lessons.tablet_after_use(agonist, gap, ntx)
    return frame, agonist, tablet


@pytest.fixture(scope="module")
def interval_table():
    t = lessons.opioid_free_interval(50.0, 0.02)
    free = [lessons.opioid_free_days(d) for d in t.drug]
    return t.rename(columns={"days_opioid_free": "days_receptors_free"}).assign(days_opioid_free=free)


# --- stopping ----------------------------------------------------------------------------------------


def test_stopping_shades_exactly_the_risk_days_on_both(stopping_inputs):
    after, before, risk = stopping_inputs
    assert risk.any() and not risk.all()  # a window that starts after day 0: something to shade and not
    fig = drawings.stopping(after, before, risk, 7, "heroin 20 mg IV")
    charts, drawn = check_both(fig)
    days = after.days_after_last_naltrexone.to_numpy()

    def inside(d, starts, ends):
        return any(a <= d <= b for a, b in zip(starts, ends))

    for i in range(len(fig.panels)):
        (span,) = layers(fig, i, Spans)
        assert [inside(d, span.starts, span.ends) for d in days] == list(risk)
        (rect,) = marks(charts[i], "rect")
        shown = rect["data"]["values"]
        assert [inside(d, [v["a"] for v in shown], [v["b"] for v in shown]) for d in days] == list(risk)
        # the file: the same spans (axvspan patches as x extents)
        patches = [
            pt for pt in drawn.axes[i].patches if to_hex(pt.get_facecolor(), keep_alpha=False) == drawings.RISK.lower()
        ]
        extents = [(pt.get_x(), pt.get_x() + pt.get_width()) for pt in patches]
        assert [inside(d, *zip(*extents)) for d in days] == list(risk)
        # the chosen day: a black line in every panel
        assert any(r.axis == "x" and r.at == 7 and r.colour == "black" for r in layers(fig, i, Rule))
        assert any(n["data"]["values"][0]["at"] == 7 for n in marks(charts[i], "rule") if n["mark"]["color"] == "black")
    # the curves are the sweep's numbers
    data = layers(fig, 0, Lines)[0].frame
    assert data.effect.to_numpy() == pytest.approx(after.effect.to_numpy())
    assert data.effect_before.to_numpy() == pytest.approx(np.full(len(days), before["effect"]))
    drive = layers(fig, 1, Lines)[0].frame
    assert drive.drive.to_numpy() == pytest.approx(after.min_respiratory_drive.to_numpy())
    top = charts[1]["data"]["values"]  # the screen's table (Arrow on the page), every day
    assert [r["drive"] for r in top] == pytest.approx(list(after.min_respiratory_drive), abs=1e-6)
    # breathing halved, in the risk colour, on both
    (half,) = [r for r in layers(fig, 1, Rule) if r.axis == "y"]
    assert (half.at, half.colour) == (0.5, drawings.RISK)
    assert any(round(line.get_ydata()[0], 6) == 0.5 for line in drawn.axes[1].lines if len(line.get_ydata()) == 2)
    # the file's x range reaches half a step beyond the first and last days, as the spans do
    assert drawn.axes[2].get_xlim() == pytest.approx((days[0] - 0.5, days[-1] + 0.5))


def test_day_spans_join_runs_and_split_gaps():
    days = np.array([0, 1, 2, 3, 4, 6, 8])
    starts, ends = drawings.day_spans(days, np.array([0, 1, 1, 0, 1, 1, 0], bool))
    assert starts == (0.5, 3.5) and ends == (2.5, 7.0)
    assert drawings.day_spans(days, np.zeros(7, bool)) == ((), ())


# --- displacement ------------------------------------------------------------------------------------


def test_displacement_draws_the_course_around_the_tablet(course):
    frame, agonist, tablet = course
    fig = drawings.displacement(frame, agonist, tablet)
    charts, drawn = check_both(fig)
    held = layers(fig, 0, Lines)[0]
    t = frame.time_h.to_numpy() - tablet
    assert held.frame.x.to_numpy() == pytest.approx(t)
    assert held.frame.with_.to_numpy() == pytest.approx(100 * frame.occupancy_agonist_with.to_numpy())
    assert held.frame.antagonist.to_numpy() == pytest.approx(100 * frame.occupancy_antagonist_with.to_numpy())
    assert [s.label for s in held.series] == [
        f"{label(agonist)}, no tablet",
        f"{label(agonist)}, after the tablet",
        "naltrexone family",
    ]
    assert [s.dash for s in held.series] == ["--", "-", "-."]  # the naltrexone family's own style
    # the tablet at 0 on both panels, screen and file
    for i in range(2):
        assert [r.at for r in layers(fig, i, Rule)] == [0.0]
        assert [n["data"]["values"][0]["at"] for n in marks(charts[i], "rule") if "data" in n] == [0.0]
        assert any(tuple(line.get_xdata()) == (0, 0) for line in drawn.axes[i].lines)
    # the opioid's effect falls after the tablet, and the figure says so from the data
    effect = layers(fig, 1, Lines)[0].frame
    after = effect.x >= 1
    assert (effect.without[after] - effect.with_[after]).max() > 0.05
    assert fig.panels[0].x.domain == (pytest.approx(-12.0, abs=0.1), pytest.approx(24.0, abs=0.1))


# --- opioid-free intervals ---------------------------------------------------------------------------


def test_intervals_bars_texts_and_dots_are_the_table(interval_table):
    table = interval_table
    fig = drawings.intervals(table, 2.0)
    charts, drawn = check_both(fig)
    (bars,) = layers(fig, 0, Bars)
    names = [label(d) for d in table.drug]
    assert list(bars.categories) == names == list(fig.panels[0].y.categories)
    assert list(bars.colours) == [colour(d) for d in table.drug]
    days = table.days_opioid_free.to_numpy()
    assert bars.end == pytest.approx(np.nan_to_num(days, nan=drawings.NEVER_DAYS))
    assert list(bars.texts) == [f"{v:.1f} days" if np.isfinite(v) else "> 40 days" for v in days]
    # screen: bars and their words in the table's order, each in its opioid's colour
    (bar,) = marks(charts[0], "bar")
    shown = bar["data"]["values"]
    assert [v["category"] for v in shown] == names
    assert [v["colour"] for v in shown] == [colour(d) for d in table.drug]
    assert [v["end"] for v in shown] == pytest.approx(list(bars.end))
    assert bar["encoding"]["y"]["scale"]["domain"] == names  # the order kept across layers
    # dots: where the tablet would displace at most 2 %, on the row of their opioid, on both
    (dots,) = layers(fig, 0, Points)
    free = table.days_receptors_free.to_numpy()
    known = np.isfinite(free)
    assert dots.x == pytest.approx(free[known])
    (point,) = marks(charts[0], "point")
    assert [(v["y"], v["x"]) for v in point["data"]["values"]] == [
        (n, pytest.approx(f, abs=1e-6)) for n, f, k in zip(names, free, known) if k
    ]
    assert point["encoding"]["color"]["scale"]["range"] == ["#000000"]
    ax = drawn.axes[0]
    (offsets,) = [c.get_offsets() for c in ax.collections if len(c.get_offsets()) == known.sum()]
    assert np.asarray(offsets)[:, 0] == pytest.approx(free[known])
    assert np.asarray(offsets)[:, 1] == pytest.approx(np.flatnonzero(known))
    bar_patches = [pt for pt in ax.patches if pt.get_height() == pytest.approx(bars.thickness)]
    assert [round(pt.get_width(), 6) for pt in bar_patches] == pytest.approx(list(bars.end), abs=1e-6)
    # the labels' 7-10 days shaded and 14 days ruled, named on both
    (span,) = layers(fig, 0, Spans)
    assert (span.starts, span.ends) == ((7.0,), (10.0,))
    assert [r.at for r in layers(fig, 0, Rule)] == [14.0]
    texts = {t["data"]["values"][0]["t"] for t in marks(charts[0], "text") if "t" in t["data"]["values"][0]}
    assert texts == {"labels: 7-10 d", "14 d"}
    assert {"labels: 7-10 d", "14 d"} <= {t.get_text() for t in ax.texts}
    assert fig.panels[0].x.domain[0] < 0  # a dot at day 0 shows whole, beside its bar (fentanyl's is black)


def test_intervals_on_a_phone_keep_their_legend_outside_the_bars(interval_table):
    fig = drawings.intervals(interval_table, 2.0)
    drawn = files(fig, narrow=True)
    assert drawn.legends and not drawn.axes[0].get_legend()
    assert set(legends(drawn)) == {"labels: 7-10 days (short-acting)", "tablet displaces at most 2 % of receptors"}


# --- craving ---------------------------------------------------------------------------------------


WEEKS, MG, EVERY, ADHERENCE, SEED = 8, 25.0, 2.0, 0.7, 1


def craving_scenario(plan: str, people: int = 0) -> dict:
    options = {"seed": SEED, **({"population": people} if people else {})}
    return {
        "title": plan,
        "duration_h": 24.0 * 7 * WEEKS,
        "output_step_h": 2.0,
        "patient": {"opioid_tolerant": True},
        "options": options,
        "dose": lessons.craving_doses(plan, WEEKS, MG, EVERY, ADHERENCE),
    }


@pytest.fixture(scope="module")
def cravings():
    results = {plan: simulate(parse_scenario(craving_scenario(plan))) for plan in lessons.CRAVING_PLANS}
    shown = "daily tablets"
    episodes = lessons.episode_table(results[shown])
    bands = simulate_population(parse_scenario(craving_scenario(shown, 12))).bands
    return {p: r.table for p, r in results.items()}, episodes, shown, bands


def test_craving_plans_and_episodes_on_both(cravings):
    tables, episodes, shown, bands = cravings
    fig = craving_drawings.craving(tables, episodes, shown, bands)
    charts, drawn = check_both(fig)
    (lines,) = layers(fig, 0, Lines)
    assert [s.label for s in lines.series] == list(lessons.CRAVING_PLANS)
    assert [(s.colour, s.dash) for s in lines.series] == [
        (PLAN_COLOURS[p], craving_drawings.PLAN_STYLES[p]) for p in lessons.CRAVING_PLANS
    ]
    for i, plan in enumerate(tables):
        assert lines.frame[f"p{i}"].to_numpy() == pytest.approx(tables[plan].craving.to_numpy())
    # the dashes on the screen are the plans' line styles
    dash = next(n["strokeDash"] for n in walk(charts[0]) if isinstance(n.get("strokeDash"), dict))
    assert dash["scale"]["range"] == [vega.DASHES[craving_drawings.PLAN_STYLES[p]] for p in lessons.CRAVING_PLANS]
    file_lines = {line.get_label(): line for line in drawn.axes[0].lines}
    for plan in lessons.CRAVING_PLANS:
        assert (
            file_lines[plan].get_linestyle()
            == {"-": "-", "--": "--", ":": ":", "-.": "-."}[craving_drawings.PLAN_STYLES[plan]]
        )
    # the population band of the shown plan, grey, its median the population's
    (band,) = layers(fig, 0, Band)
    assert band.colour == GREYS["band"] and band.label == f"{shown}, population"
    assert band.mid == pytest.approx(bands.craving_p50.to_numpy())
    # one point per episode and kind: its reward without naltrexone, and blocked or not
    blocked = episodes.blocked.to_numpy(bool)
    assert 0 < blocked.sum() < len(episodes)  # 70 % of tablets: some episodes get through
    want = {
        craving_drawings.KINDS[0]: len(episodes),
        craving_drawings.KINDS[1]: int(blocked.sum()),
        craving_drawings.KINDS[2]: int((~blocked).sum()),
    }
    dots = layers(fig, 1, Points)
    assert {d.label: len(d.x) for d in dots} == want
    assert [(d.shape, d.filled) for d in dots] == [("_", False), ("o", False), ("x", True)]
    assert dots[1].y == pytest.approx(episodes.reward_with[blocked].to_numpy())
    assert dots[2].x == pytest.approx(episodes.day[~blocked].to_numpy() / 7)
    screen_dots = marks(charts[1], "point")
    assert {n["data"]["values"][0]["series"]: len(n["data"]["values"]) for n in screen_dots} == want
    assert [n["mark"]["shape"] for n in screen_dots] == ["stroke", "circle", "cross"]
    assert legend_colours(charts[1]) == {
        craving_drawings.KINDS[0]: colour("without").lower(),
        craving_drawings.KINDS[1]: colour("with").lower(),
        craving_drawings.KINDS[2]: colour("without").lower(),
    }
    file_dots = {c.get_label(): len(c.get_offsets()) for c in drawn.axes[1].collections}
    assert file_dots == want
    assert fig.panels[1].x.domain == (0.0, pytest.approx(WEEKS))
