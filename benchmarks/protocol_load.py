"""A class at once, at the protocol level: many sessions on /_stcore/stream, each moving a control.

Each simulated student opens a page over HTTP (cookies, so the proxy keeps it on one process), opens
the WebSocket /_stcore/stream and sends the same BackMsg a browser sends (``rerun_script`` with
``page_name``, ``page_script_hash``, ``query_string``, ``context_info`` and WidgetStates with
``double_array_value`` for a slider, ``string_value`` for a select box, as captured from Chromium),
then every ~``--period`` s changes one control. The latency of a change runs from sending it to
having the bytes of every new figure (fetched from /media through the same proxy). Each change sets
a value of its own and the session checks that the page's link (``page_info_changed``) echoes it.
Unlike the browser, a session lists only the widgets it has changed, not every widget on the page.

Two real Chromium sessions (``--browsers``) move a slider alongside and are timed from key press to
the new figure loaded. Start the servers first, e.g. ``N=2 PORT=8600 deploy/serve_class.sh``:

    .venv/bin/python -m benchmarks.protocol_load --url http://127.0.0.1:8600 --sessions 60 --seconds 120
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import random
import statistics
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from http.cookies import SimpleCookie

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from ui.registry import URLS

# the lesson pages (the root is Home); the workbench and validation are not part of a class's load
PAGES = ["", *(u for u in URLS[1:] if u not in ("workbench", "validation"))]


@dataclass
class Stats:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    unanswered: int = 0
    mixed: int = 0
    media_bytes: int = 0


@dataclass
class Run:
    images: list[str] = field(default_factory=list)
    charts: list[str] = field(default_factory=list)
    widgets: dict = field(default_factory=dict)  # key -> (kind, id, proto)
    query: str = ""
    page_hash: str = ""
    exception: str = ""


def get(url: str, cookie: str = "") -> tuple[bytes, str]:
    req = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(req, timeout=60) as r:
        jar = SimpleCookie()
        for h in r.headers.get_all("Set-Cookie") or []:
            jar.load(h)
        return r.read(), "; ".join(f"{k}={m.value}" for k, m in jar.items())


async def read_run(ws) -> Run:
    """Read ForwardMsgs until the script run finishes; collect images, widgets, link and page hash."""
    run = Run()
    while True:
        msg = ForwardMsg()
        msg.ParseFromString(await asyncio.wait_for(ws.recv(), timeout=120))
        kind = msg.WhichOneof("type")
        if kind == "new_session":
            run.page_hash = msg.new_session.page_script_hash
        elif kind == "page_info_changed":
            run.query = msg.page_info_changed.query_string
        elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            el = msg.delta.new_element
            t = el.WhichOneof("type")
            if t == "imgs":
                run.images += [i.url for i in el.imgs.imgs]
            elif t == "vega_lite_chart":  # a chart drawn in the browser: its data came in this message
                run.charts.append(hashlib.blake2b(el.vega_lite_chart.spec.encode(), digest_size=8).hexdigest())
            elif t == "exception":
                run.exception = el.exception.message
            elif t in ("slider", "selectbox"):
                w = getattr(el, t)
                key = w.id.rsplit("-", 1)[-1]
                run.widgets[key] = (t, w.id, w)
        elif kind == "ref_hash":  # an element the browser already holds (the server sends only its hash)
            run.charts.append(msg.ref_hash)
        elif kind == "script_finished":
            return run


def context(url: str) -> dict:
    return {
        "timezone": "UTC",
        "timezone_offset": 0,
        "locale": "en-US",
        "url": url,
        "is_embedded": False,
        "color_scheme": "light",
    }


def back(page: str, page_hash: str, query: str, url: str, states: dict) -> bytes:
    m = BackMsg()
    cs = m.rerun_script
    cs.query_string = query
    cs.page_name = page or ""
    if page_hash:
        cs.page_script_hash = page_hash
    for k, v in context(url).items():
        setattr(cs.context_info, k, v)
    for wid, (kind, value) in states.items():
        w = cs.widget_states.widgets.add()
        w.id = wid
        if kind == "slider":
            w.double_array_value.data[:] = [value]
        elif kind == "select_slider":
            w.string_array_value.data[:] = [value]
        else:
            w.string_value = value
    return m.SerializeToString()


def same(text: str, value: object) -> bool:
    """Whether the link's text stands for the value this session sent."""
    try:
        return abs(float(text) - float(value)) < 1e-9
    except (TypeError, ValueError):
        return text == str(value)


def pick(run: Run, rng: random.Random) -> tuple[str, str, str, object] | None:
    """A slider (else a select box that is not a preset) and a new value for it."""
    sliders = [(k, w) for k, w in run.widgets.items() if w[0] == "slider" and not k.startswith("read_")]
    boxes = [(k, w) for k, w in run.widgets.items() if w[0] == "selectbox" and not k.endswith("_preset")]
    if sliders:
        k, (kind, wid, w) = rng.choice(sliders)
        if w.options:  # a select slider: the option's text, as the browser sends it
            return k, "select_slider", wid, rng.choice(list(w.options))
        n = int(round((w.max - w.min) / (w.step or 1)))
        return k, kind, wid, w.min + (w.step or 1) * rng.randint(0, n)
    if boxes:
        k, (kind, wid, w) = rng.choice(boxes)
        return k, kind, wid, rng.choice(list(w.options))
    return None


def stream(base: str, cookie: str):
    """The session's WebSocket, as a browser opens it (its cookie keeps it on one server process)."""
    return websockets.connect(
        f"ws://{urllib.parse.urlsplit(base).netloc}/_stcore/stream",
        subprotocols=["streamlit"],
        max_size=None,
        additional_headers={"Cookie": cookie, "Origin": base},
    )


async def student(i: int, base: str, page: str, seconds: float, period: float, stats: Stats) -> None:
    rng = random.Random(i)
    url = f"{base}/{page}"
    try:
        _, cookie = await asyncio.to_thread(get, url)
        async with stream(base, cookie) as ws:
            await ws.send(back(page, "", "", url, {}))
            run = await read_run(ws)
            page_hash, query, seen = run.page_hash, run.query, set(run.images)
            states: dict = {}
            end = time.monotonic() + seconds
            await asyncio.sleep(rng.uniform(0, period))
            while time.monotonic() < end:
                choice = pick(run, rng)
                if choice is None:
                    stats.errors.append(f"{page}: no control to move")
                    return
                key, kind, wid, value = choice
                states[wid] = (kind, value)
                t0 = time.perf_counter()
                await ws.send(back(page, page_hash, query, url, states))
                new = await read_run(ws)
                for src in [s for s in new.images if s not in seen]:
                    data, _ = await asyncio.to_thread(get, src if src.startswith("http") else base + src, cookie)
                    stats.media_bytes += len(data)
                stats.latencies.append(time.perf_counter() - t0)
                if new.exception:
                    stats.errors.append(f"{page} {key}={value}: {new.exception}")
                got = dict(urllib.parse.parse_qsl(new.query)).get(key)
                if got is not None and not same(got, value):
                    stats.mixed += 1
                if not new.images and not new.charts and not new.query:
                    stats.unanswered += 1
                run, query, seen = new if new.widgets else run, new.query or query, seen | set(new.images)
                await asyncio.sleep(max(0.0, rng.gauss(period, period / 4)))
    except Exception as err:  # noqa: BLE001 - every failure is counted and reported
        stats.errors.append(f"session {i} ({page or 'home'}): {type(err).__name__}: {err}")


CHROMIUM = "/usr/bin/chromium"
#: The first figure of a page: an image drawn on the server or a chart drawn in the browser.
FIGURE = '[data-testid="stImage"] img, [data-testid="stVegaLiteChart"] .marks'
#: What the first figure shows now: the image's address, or the chart's drawing (changes when it is redrawn).
#: A canvas is read back as raw pixels and every ~100th one is hashed: encoding it as a PNG on every poll
#: (toDataURL) costs the browser tens of ms and would be timed as if it were the app's.
FINGERPRINT = f"""() => {{ const e = document.querySelector('{FIGURE}');
  if (!e) return '';
  if (e.tagName === 'IMG') return e.src;
  if (e.tagName !== 'CANVAS') return e.outerHTML;
  const d = e.getContext('2d').getImageData(0, 0, e.width, e.height).data;
  let h = 0;
  for (let i = 0; i < d.length; i += 401) h = (Math.imul(h, 31) + d[i]) | 0;
  return e.width + 'x' + e.height + ':' + h; }}"""
POLL_MS = 50  # how often a browser session looks for the new figure (a lighter load than every frame)
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


async def browser_student(
    i: int, base: str, seconds: float, period: float, out: list[float], errors: list[str]
) -> None:
    """A real Chromium session moving a slider by keyboard: key press -> new figure loaded."""
    from playwright.async_api import async_playwright, expect

    page_name, nth = [("", 1), ("mechanism", 1)][i % 2]  # the "hours after the tablet" sliders
    try:
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            pg = await browser.new_page(viewport={"width": 1280, "height": 1600})
            await pg.goto(f"{base}/{page_name}")
            app = pg.get_by_test_id("stApp")
            await expect(app).to_have_attribute("data-test-script-state", "notRunning", timeout=120_000)
            img = pg.locator(FIGURE).first
            await img.wait_for(timeout=120_000)
            slider = pg.get_by_role("slider").nth(nth)
            end = time.monotonic() + seconds
            while time.monotonic() < end:
                old = await pg.evaluate(FINGERPRINT)
                await slider.focus()
                t0 = time.perf_counter()
                await pg.keyboard.press("ArrowRight")
                await pg.wait_for_function(
                    f"old => ({FINGERPRINT})() !== old", arg=old, timeout=120_000, polling=POLL_MS
                )
                await pg.wait_for_function("() => [...document.images].every(i => i.complete && i.naturalWidth > 0)")
                out.append(time.perf_counter() - t0)
                await asyncio.sleep(period)
            await browser.close()
    except Exception as err:  # noqa: BLE001
        errors.append(f"browser {i}: {type(err).__name__}: {err}")


def p(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(q * (len(xs) - 1))))] if xs else float("nan")


async def main_async(args: argparse.Namespace) -> tuple[Stats, list[float]]:
    stats, browser_times = Stats(), []
    tasks = [
        student(i, args.url, PAGES[i % len(PAGES)], args.seconds, args.period, stats) for i in range(args.sessions)
    ]
    tasks += [
        browser_student(i, args.url, args.seconds, args.period, browser_times, stats.errors)
        for i in range(args.browsers)
    ]
    await asyncio.gather(*tasks)
    return stats, browser_times


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--url", required=True, help="the proxy (or one server), e.g. http://127.0.0.1:8600")
    ap.add_argument("--sessions", type=int, default=60)
    ap.add_argument("--seconds", type=float, default=120.0)
    ap.add_argument("--period", type=float, default=10.0, help="mean seconds between a session's changes")
    ap.add_argument("--browsers", type=int, default=2, help="real Chromium sessions timed alongside")
    args = ap.parse_args()
    t0 = time.perf_counter()
    cpu0 = time.process_time()
    stats, btimes = asyncio.run(main_async(args))
    lat = stats.latencies
    print(
        f"{args.sessions} sessions over {len(PAGES)} pages, a change every ~{args.period:g} s for {args.seconds:g} s "
        f"({time.perf_counter() - t0:.0f} s wall)"
    )
    print(
        f"change -> new figure bytes: p50 {p(lat, 0.5) * 1000:.0f} ms, p95 {p(lat, 0.95) * 1000:.0f} ms, "
        f"max {max(lat, default=float('nan')) * 1000:.0f} ms (n={len(lat)}); media {stats.media_bytes / 1e6:.1f} MB"
    )
    print(
        f"errors {len(stats.errors)}, unanswered {stats.unanswered}, link not echoing the session's value "
        f"{stats.mixed}; load generator CPU {time.process_time() - cpu0:.1f} s"
    )
    print(
        f"Chromium sessions ({args.browsers}): key press -> new figure loaded: p50 {p(btimes, 0.5) * 1000:.0f} ms, "
        f"p95 {p(btimes, 0.95) * 1000:.0f} ms (n={len(btimes)})"
    )
    for e in stats.errors[:10]:
        print("  ", e)
    if lat:
        print(f"mean {statistics.mean(lat) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
