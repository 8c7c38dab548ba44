"""Scenario inputs that must be refused (or accepted): files in ``hostile/`` and big ones built on the fly.

Each file's first line may say ``# expect: <text>``: the one-line error must contain it. The files are
written by ``hostile/make_corpus.py``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from model.scenario import MAX_FILE_BYTES

HOSTILE = Path(__file__).resolve().parent / "hostile"
CORPUS = sorted(HOSTILE.glob("*.toml"))
ACCEPTED = sorted((HOSTILE / "accepted").glob("*.toml"))
MARKER = Path("/tmp/naltrexone_hostile_marker")  # the corpus' pickle/YAML/Python payloads would create it
GOOD = b'title = "Good"\nduration_h = 48\n[[dose]]\ndrug = "heroin"\nroute = "iv"\namount_mg = 25\nat_h = [24]\n'


def expected(data: bytes) -> str | None:
    if data.startswith(b"# expect: "):
        return data.split(b"\n", 1)[0][len(b"# expect: ") :].decode()
    return None


def generated() -> dict[str, tuple[bytes, str]]:
    """Big or deep inputs built at test time: name -> (bytes, text the error must contain)."""
    heroin = 'drug="heroin"\nroute="iv"\namount_mg=1\n'
    return {
        "over_cap_comments": (b"# padding\n" * (MAX_FILE_BYTES // 10 + 10) + GOOD, "larger than"),
        "five_megabytes": (b"duration_h = 48\n" + b"x" * 5_000_000, "larger than"),
        "deep_arrays": (b"x = " + b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        "deep_inline_tables": (b"x = " + b"{a = " * 30_000 + b"1" + b"}" * 30_000, "nested too deeply"),
        "deep_dotted_key": (".".join(["a"] * 60_000).encode() + b" = 1\nduration_h = 48\n", "dotted parts"),
        "long_string_value": (b'duration_h = "' + b"9" * 200_000 + b'"', "duration_h: must be a number"),
        "many_dose_tables": (
            b"duration_h = 17520\n" + (f"[[dose]]\n{heroin}every_h=1\ncount=6\n" * 900).encode(),
            "doses in all",
        ),
        "too_many_times": (
            b"duration_h = 17520\n[[dose]]\n" + heroin.encode() + b"at_h = [" + b",".join([b"1"] * 6000) + b"]\n",
            "dose[0].at_h",
        ),
        "nul_flood": (b"\x00" * MAX_FILE_BYTES, "scenario"),
        "escaped_quote_key_255kB": (b'"\\"".' * 51_000 + b"x = 1", "dotted parts"),
        "escaped_quote_run_255kB": (b'"' + b'\\"' * 127_000 + b"\\", "scenario"),
        "digits_255kB": (b"duration_h = " + b"9" * 255_000, "digits"),
        "brackets_255kB": (b"x = " + b"[" * 255_000, "nested too deeply"),
        "many_keys_255kB": (b"".join(b"k%d = 1\n" % i for i in range(22_000)), "unknown key"),
        "random_bytes": (np.random.default_rng(0).bytes(100_000), "scenario"),
    }


GENERATED = generated()
