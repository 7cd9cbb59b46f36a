"""How a table fits a width (report/widths.py): the order in which things give way."""

from __future__ import annotations

from ketacost.report.document import Column, Table
from ketacost.report.widths import GAP, fit


def table() -> Table:
    t = Table(
        "t",
        [
            Column("Clinic", min_width=6),
            Column("Modality", drop=1),
            Column("Total", True),
            Column("Checked", rigid=True, drop=2),
        ],
    )
    t.add("Westside Ketamine Clinic", "IV infusion", "$3,900.00", "2026-11-20")
    return t


def test_everything_fits_at_natural_width() -> None:
    # 24 + 11 + 9 + 10 = 54 characters, and three gaps of two.
    layout = fit(table(), 54 + 3 * GAP)
    assert layout.widths == (24, 11, 9, 10) and layout.dropped == ()


def test_text_gives_way_before_any_column_drops() -> None:
    layout = fit(table(), 54 + 3 * GAP - 10)
    assert layout.dropped == ()
    assert layout.widths[2:] == (9, 10)  # the figure and the date stay whole
    assert sum(layout.widths) == 54 - 10


def test_columns_drop_in_their_order_then_the_table_stacks() -> None:
    # Least widths: Clinic 6, Modality 8 (its header), Total 9, Checked 10 (the date).
    assert fit(table(), 6 + 8 + 9 + 10 + 3 * GAP).dropped == ()
    assert fit(table(), 6 + 8 + 9 + 10 + 3 * GAP - 1).dropped == ("Modality",)
    assert fit(table(), 6 + 9 + 10 + 2 * GAP - 1).dropped == ("Modality", "Checked")
    assert not fit(table(), 6 + 9 + GAP).stacked
    assert fit(table(), 6 + 9 + GAP - 1).stacked


def test_a_word_holding_a_figure_is_never_narrowed() -> None:
    t = Table("t", [Column("Price", min_width=3), Column("#", True)])
    t.add("$1,050.00 × 2, then $900.00", "1")
    layout = fit(t, 20)
    assert layout.widths[0] >= len("$1,050.00")
