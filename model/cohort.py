"""The molecules of P people who differ only in the values of some parameters.

A cohort is the shared molecules (the scenario's overrides applied) and, per person, the values
of the varied parameters. Its :meth:`Cohort.view` is a mapping of molecules whose varied
parameters hold one value per person (an array), so the formulas that build rate constants,
volumes, affinities and response anchors give everyone's numbers in one pass.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType

import numpy as np

from .drugs import Molecule


@dataclass(frozen=True)
class Cohort:
    """``size`` people: ``base`` molecules, and ``values`` [person, varied] of the ``varied`` (species, parameter)."""

    base: Mapping[str, Molecule]
    size: int = 1
    varied: tuple[tuple[str, str], ...] = ()
    values: np.ndarray = field(default_factory=lambda: np.zeros((1, 0)))
    _views: dict[int, dict[str, Molecule]] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.values.shape != (self.size, len(self.varied)):
            raise ValueError(f"cohort values: shape {self.values.shape}, expected {(self.size, len(self.varied))}")

    @classmethod
    def alike(cls, mols: Mapping[str, Molecule], size: int = 1) -> Cohort:
        """``size`` people with the same molecules."""
        return cls(mols, size, (), np.zeros((size, 0)))

    def __len__(self) -> int:
        return self.size

    def view(self, trailing: int = 0) -> dict[str, Molecule]:
        """Molecules whose varied parameters hold arrays of shape [P] + [1] * ``trailing``.

        The trailing axes let the values broadcast against per-person series; every other parameter
        keeps its single value.
        """
        if trailing in self._views:
            return self._views[trailing]
        by_species: dict[str, dict[str, np.ndarray]] = {}
        for j, (sp, name) in enumerate(self.varied):
            by_species.setdefault(sp, {})[name] = self.values[:, j].reshape((self.size,) + (1,) * trailing)
        out = dict(self.base)
        for sp, over in by_species.items():
            m = self.base[sp]
            params = dict(m.parameters)
            for name, v in over.items():
                params[name] = replace(params[name], value=v)  # an array: one value per person
            out[sp] = replace(m, parameters=MappingProxyType(params))
        self._views[trailing] = out
        return out

    def person(self, i: int) -> dict[str, Molecule]:
        """Person ``i``'s molecules (single values)."""
        over: dict[str, dict[str, float]] = {}
        for j, (sp, name) in enumerate(self.varied):
            over.setdefault(sp, {})[name] = float(self.values[i, j])
        return {sp: m.with_overrides(over[sp]) if sp in over else m for sp, m in self.base.items()}
