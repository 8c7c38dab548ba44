"""The workbench's scenario editor state: the scenario being edited, comparison B, messages, and its link.

The state lives in this session only (keys start with ``wb_``). The editors on the page are keyed by
``version``: loading a scenario bumps it, so every editor starts again from the loaded values.
"""

from __future__ import annotations

import base64
import re
import zlib
from typing import Any

import numpy as np
import streamlit as st

from model import ScenarioError, parse_scenario
from model.drugs import molecules
from model.scenario import MAX_FILE_BYTES, parse_scenario_bytes, scenario_to_dict, scenario_to_toml

P = "wb_"
MAX_LINK_CHARS = 3000  # longer scenarios are shared as files, not links


def number_text(x: float) -> str:
    """A float as the shortest text that reads back to exactly the same float ('24', '999.9375')."""
    return np.format_float_positional(float(x), trim="-")


_NUM = r"([0-9.]+(?:[eE][-+]?[0-9]+)?)"
_SCHEDULE = re.compile(rf"^\s*every\s+{_NUM}\s*h?\s*x\s*([0-9]+)\s+from\s+{_NUM}\s*h?\s*$", re.IGNORECASE)


def times_text(dose: dict) -> str:
    """A dose's times for the editor: '0, 24, 48' or, for a schedule, 'every 24 h x 30 from 0 h' (exact)."""
    if dose.get("at_h"):
        return ", ".join(number_text(t) for t in dose["at_h"])
    return (
        f"every {number_text(dose['every_h'])} h x {int(dose['count'])} from {number_text(dose.get('start_h', 0.0))} h"
    )


def times_entry(text: str, where: str) -> dict[str, Any]:
    """The dose keys a times cell stands for (``at_h``, or ``every_h``/``count``/``start_h``)."""
    m = _SCHEDULE.match(text)
    try:
        if m:
            return {"every_h": float(m.group(1)), "count": int(m.group(2)), "start_h": float(m.group(3))}
        return {"at_h": [float(x) for x in text.replace(";", ",").split(",") if x.strip()]}
    except ValueError:
        raise ScenarioError(
            f"{where}: {text[:60]!r} is neither times separated by commas nor 'every 24 h x 30 from 0 h'"
        ) from None


def encode(toml_text: str) -> str:
    """A scenario's TOML as a link-safe string (zlib + URL-safe base64)."""
    return base64.urlsafe_b64encode(zlib.compress(toml_text.encode("utf-8"), 9)).decode("ascii")


def decode(code: str) -> dict:
    """The scenario a link string stands for; raises on anything unreadable."""
    # Decompress at most one byte past the file cap, so a crafted link cannot inflate to gigabytes.
    data = zlib.decompressobj().decompress(base64.urlsafe_b64decode(code.encode("ascii")), MAX_FILE_BYTES + 1)
    return scenario_to_dict(parse_scenario_bytes(data))


class Editor:
    """The scenario being edited on the workbench, with at most ``max_people`` simulated people."""

    def __init__(self, default: dict, max_people: int) -> None:
        self.max_people = max_people
        ss = st.session_state
        if P + "scenario" not in ss:
            raw = default
            try:
                if "wb_s" in st.query_params:
                    raw = self._limit(decode(st.query_params["wb_s"]))
                if "wb_b" in st.query_params:
                    self.compare = scenario_to_toml(parse_scenario(self._limit(decode(st.query_params["wb_b"]))))
            except Exception:  # any unreadable link: say so and start from the default
                self.error = "The scenario in the link could not be read; the default is shown."
            ss[P + "scenario"], ss[P + "version"] = raw, 0
        elif f"{P}title_{ss[P + 'version']}" not in ss and P + "live" in ss:
            # Back from another page: the editors start again from the last scenario edited here.
            ss[P + "scenario"] = ss[P + "live"]
            ss[P + "version"] += 1

    # --- what the page reads -------------------------------------------------------------------
    @property
    def current(self) -> dict:
        """The scenario the editors start from."""
        return st.session_state[P + "scenario"]

    @property
    def version(self) -> int:
        """Bumped on every load; part of each editor's key."""
        return st.session_state[P + "version"]

    compare = property(
        lambda self: _get("compare"), lambda self, v: _put("compare", v), doc="Comparison B's TOML text, or None."
    )
    error = property(
        lambda self: _get("upload_error"),
        lambda self, v: _put("upload_error", v),
        doc="Why the last upload, paste or link was refused, or None.",
    )
    message = property(lambda self: _get("message"), doc="What the last load did.")
    people_note = property(lambda self: _get("people_note"), doc="Said when a scenario asked for too many people.")

    # --- what the page does --------------------------------------------------------------------
    def _limit(self, raw: dict) -> dict:
        n = raw.get("options", {}).get("population", 0)
        if n > self.max_people:
            _put(
                "people_note",
                f"The scenario asks for {n:,} people; the workbench simulates {self.max_people} "
                "(`python -m model run` simulates them all).",
            )
            raw = {**raw, "options": {**raw["options"], "population": self.max_people}}
        return raw

    def load(self, raw: dict, message: str) -> None:
        """Make ``raw`` the current scenario and reset the editors to show it."""
        ss = st.session_state
        ss[P + "scenario"] = ss[P + "live"] = self._limit(raw)
        ss[P + "version"] = ss.get(P + "version", 0) + 1
        ss[P + "message"] = message

    def load_bytes(self, data: bytes, name: str) -> None:
        """Parse uploaded or pasted TOML; on error keep the current scenario and keep the message."""
        try:
            s = parse_scenario_bytes(data[: MAX_FILE_BYTES + 1])
        except ScenarioError as err:
            self.error = f"{name}: {err}"
            return
        self.error = None
        self.load(scenario_to_dict(s), f"Loaded {name}: {s.title}")

    def upload(self, file: Any) -> None:
        """Load an uploaded file once (a rerun with the same file does not reload it)."""
        if file is not None and _get("upload_id") != file.file_id:
            _put("upload_id", file.file_id)
            self.load_bytes(file.getvalue(), file.name)

    def edited(self, raw: dict, toml_text: str) -> None:
        """Remember the last valid edit (what a page change comes back to, what 'double Kd' starts from)."""
        _put("live", raw)
        _put("last_good", toml_text)

    def double_kd(self) -> None:
        """Keep the current scenario as comparison B and load it again with naltrexone's Kd doubled."""
        text = _get("last_good")
        if text is None:
            return
        raw = scenario_to_dict(parse_scenario_bytes(text.encode("utf-8")))
        params = {k: dict(v) for k, v in raw.get("parameters", {}).items()}
        kd = params.get("naltrexone", {}).get("kd_nm", molecules()["naltrexone"]["kd_nm"])
        params.setdefault("naltrexone", {})["kd_nm"] = 2.0 * kd
        self.compare = text
        self.load(
            {**raw, "title": f"{raw['title']}, naltrexone Kd x 2", "parameters": params},
            f"Naltrexone's Kd doubled to {2 * kd:g} nM (A, solid); the scenario before is kept as B (dashed).",
        )

    def link(self, toml_text: str) -> dict[str, str]:
        """The link entries that reopen A (and B); empty when they would make too long a link."""
        link = {"wb_s": encode(toml_text)}
        if self.compare is not None:
            link["wb_b"] = encode(self.compare)
        return link if sum(map(len, link.values())) <= MAX_LINK_CHARS else {}


def _get(name: str) -> Any:
    return st.session_state.get(P + name)


def _put(name: str, value: Any) -> None:
    if value is None:
        st.session_state.pop(P + name, None)
    else:
        st.session_state[P + name] = value
