"""A linear-time pre-lexer: TOML text whose shape would make the parser slow, deep or big is refused first.

tomllib is quadratic in the parts of a dotted key (60 000 parts, 120 kB: about a minute), recursive in
nesting, and refuses integers over 4 300 digits with a bare ValueError. Strings and comments are
tokens first (escapes included, unterminated ones end at the line's end), so nothing inside them is
counted and no pattern can scan one twice.
"""

from __future__ import annotations

import re

import numpy as np

from .errors import ScenarioError

MAX_KEY_PARTS = 32
MAX_NESTING = 32
MAX_DIGITS = 1000

_TOKENS = re.compile(  # each alternative always matches once it starts: no text is scanned twice
    r'"""(?:[^\\]|\\.)*?(?:"""|\\?\Z)'  # multi-line basic string
    r"|'''.*?(?:'''|\Z)"  # multi-line literal string
    r'|"(?:[^"\\\n]|\\[^\n])*+\\?"?'  # basic string, escapes included
    r"|'[^'\n]*+'?"  # literal string
    r"|#[^\n]*+",  # comment
    re.DOTALL,
)
_DEEP_KEY = re.compile(r"(?<![A-Za-z0-9_.-])(?:(?:[A-Za-z0-9_-]++|\x01)[ \t]*+\.[ \t]*+){" + str(MAX_KEY_PARTS) + "}")
_LONG_NUMBER = re.compile(r"[0-9A-Fa-f_]{" + str(MAX_DIGITS + 1) + ",}")


def check_toml_shape(text: str) -> None:
    """Refuse, in linear time, text whose shape would make the TOML parser slow, deep or big."""
    skeleton = _TOKENS.sub(lambda m: "" if m.group().startswith("#") else "\x01", text)
    if _DEEP_KEY.search(skeleton):
        raise ScenarioError(f"scenario: a key with more than {MAX_KEY_PARTS} dotted parts (nested too deeply)")
    if _LONG_NUMBER.search(skeleton):
        raise ScenarioError(f"scenario: a number or key with more than {MAX_DIGITS} digits")
    b = np.frombuffer(skeleton.encode("utf-8", "surrogatepass"), dtype=np.uint8)
    depth = np.cumsum(np.isin(b, (91, 123)).astype(np.int32) - np.isin(b, (93, 125)))
    if depth.size and depth.max() > MAX_NESTING:
        raise ScenarioError(f"scenario: nested too deeply (more than {MAX_NESTING} levels of [ ] or {{ }})")
