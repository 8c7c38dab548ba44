"""Picture layouts for the lessons (no science: arrangements of numbers the model computed)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np


def receptor_grid(fractions: Mapping[str, float], n: int = 100, seed: int = 7) -> np.ndarray:
    """``n`` receptors labelled by occupant in proportion to ``fractions`` (largest remainder), shuffled.

    Fractions are clipped to [0, 1]; the remainder is labelled ``free``. The shuffle is seeded,
    so the picture only changes where the counts change.
    """
    f = {k: max(0.0, float(v)) for k, v in fractions.items()}
    total = sum(f.values())
    if total > 1:
        f = {k: v / total for k, v in f.items()}
    f["free"] = max(0.0, 1.0 - sum(f.values()))
    raw = {k: v * n for k, v in f.items()}
    counts = {k: int(np.floor(v)) for k, v in raw.items()}
    for k in sorted(raw, key=lambda k: raw[k] - counts[k], reverse=True)[: n - sum(counts.values())]:
        counts[k] += 1
    labels = np.concatenate([np.full(c, k, dtype=object) for k, c in counts.items()])
    order = np.random.default_rng(seed).permutation(n)
    return labels[np.argsort(order)]
