"""User text shown by the app: always plain text, never Markdown, HTML or LaTeX."""

from __future__ import annotations

import re
from typing import Any


def plain(text: Any) -> str:
    """User text for Markdown elements (titles, errors, link notes): every Markdown and HTML character escaped."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|<>~$:&=\"'])", r"\\\1", " ".join(str(text).split()))
