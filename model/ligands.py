"""The ligands that compete for the receptors in one run: their names and per-ligand constants.

Built once per run (or per person) from the molecule data, so that binding, reward, breathing
and every lesson read the same arrays: affinity, association rate, the efficacy of each tissue
(reward and breathing; docs/model.md, "Tissue-dependent efficacy") and the antagonist mask.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from .cohort import Cohort
from .drugs import Molecule

ANTAGONIST_ROLES = ("antagonist",)


def antagonist_mask(names: Sequence[str], mols: Mapping[str, Molecule]) -> np.ndarray:
    """Which of the ligands ``names`` are antagonists (bool per ligand)."""
    return np.array([mols[n].role in ANTAGONIST_ROLES for n in names], dtype=bool)


def held_share(bound: np.ndarray, density: np.ndarray, held: np.ndarray) -> np.ndarray:
    """Share of the receptors held by the ligands in mask ``held``: bound [..., time, ligand] / density [..., time].

    The one antagonist (or agonist) occupancy of the model: tables, studies, lessons and checks use it.
    """
    return bound[..., held].sum(axis=-1) / density


@dataclass(frozen=True)
class LigandSet:
    """Per-ligand constants on the last axis (leading axes, if any, are people)."""

    names: tuple[str, ...]
    kd_nm: np.ndarray
    kon_per_nm_per_h: np.ndarray
    tau: np.ndarray  # reward system
    tau_respiratory: np.ndarray  # brainstem respiratory network
    is_antagonist: np.ndarray  # [ligand] bool
    is_partial: np.ndarray  # [ligand] bool: partial agonists (buprenorphine)

    @classmethod
    def of(cls, names: Sequence[str], mols: Mapping[str, Molecule] | Cohort) -> LigandSet:
        """Constants of ``names`` from one molecule mapping, or stacked [P, ligand] over a cohort's people."""
        view = mols.view() if isinstance(mols, Cohort) else mols

        def col(key: str) -> np.ndarray:
            if not isinstance(mols, Cohort):
                return np.array([view[n].get(key) for n in names], dtype=float)
            cols = [np.broadcast_to(np.asarray(view[n].get(key), dtype=float), (mols.size,)) for n in names]
            return np.stack(cols, axis=-1) if cols else np.zeros((mols.size, 0))

        return cls(
            tuple(names),
            col("kd_nm"),
            col("kon_per_nm_per_h"),
            col("tau"),
            col("tau_respiratory"),
            antagonist_mask(names, view),
            np.array([view[n].role == "partial_agonist" for n in names], dtype=bool),
        )
