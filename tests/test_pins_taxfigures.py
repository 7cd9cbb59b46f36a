"""The published tax figures: each year's figures are that year's, and a year without its
own uses the nearest one known, saying which."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest

from ketacost.engine.taxfigures import FIGURES, figures_for


def test_each_years_figures_are_filed_under_that_year() -> None:
    assert 2026 in FIGURES
    assert all(figures.year == year for year, figures in FIGURES.items())


def test_a_year_without_its_own_figures_uses_the_nearest_known_year() -> None:
    latest, earliest = max(FIGURES), min(FIGURES)
    assert figures_for(2026).year == 2026
    assert figures_for(latest + 5).year == latest  # not yet published: the latest
    assert figures_for(earliest - 5).year == earliest  # none earlier are held


def test_the_2026_figures_as_published() -> None:
    # standard deduction: $16,100 single, $32,200 joint, $24,150 head of household;
    # medical mileage 20.5 cents a mile
    figures = figures_for(2026)
    assert figures.standard == {
        "single": Decimal(16100),
        "joint": Decimal(16100 * 2),
        "head": Decimal(24150),
    }
    assert figures.mileage_rate == Decimal("0.205")
    with pytest.raises(dataclasses.FrozenInstanceError):
        figures.year = 2027  # type: ignore[misc]
