"""Problems carry their message, hint and key as values, not as text to split."""

from __future__ import annotations

import pytest

from ketacost.document import parse
from ketacost.errors import InputError, Invalid, message_and_hint
from ketacost.load import load_document


def test_message_and_hint_reads_both_forms() -> None:
    assert message_and_hint(Invalid("too big", "use less")) == ("too big", "use less")
    assert message_and_hint(ValueError("too big | use less")) == ("too big", "use less")
    assert message_and_hint(ValueError("too big")) == ("too big", None)


def test_a_validator_raising_invalid_points_at_its_key() -> None:
    text = "name: X\nseries:\n  sessions: 6\n  price: 500\n  first_price: 600\n"
    with pytest.raises(InputError) as caught:
        load_document(parse("clinic.yaml", text))
    (problem,) = caught.value.problems
    assert (problem.line, problem.column) == (5, 3)  # first_price, not the series as a whole
    assert problem.message == "series.first_price: both price and first_price are given"
    assert problem.hint is not None and problem.hint.startswith("price is a flat price")
