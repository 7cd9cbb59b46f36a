"""Problems carry their message, hint and key as values, not as text to split."""

from __future__ import annotations

import ast
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import assert_input_error
from typer.testing import CliRunner

import ketacost
from ketacost.cli import app
from ketacost.errors import InputError, Invalid, message_and_hint
from ketacost.files.load import load_document
from ketacost.files.yaml_source import parse

PACKAGE = Path(ketacost.__file__).resolve().parent


def test_message_and_hint_reads_an_invalid_and_a_plain_error() -> None:
    assert message_and_hint(Invalid("too big", "use less")) == ("too big", "use less")
    assert message_and_hint(ValueError("too big")) == ("too big", None)
    # Text is never split: a plain error has no hint, whatever it contains.
    assert message_and_hint(ValueError("a | b")) == ("a | b", None)


def test_a_validator_raising_invalid_points_at_its_key() -> None:
    text = "name: X\nseries:\n  sessions: 6\n  price: 500\n  first_price: 600\n"
    with pytest.raises(InputError) as caught:
        load_document(parse("clinic.yaml", text))
    (problem,) = caught.value.problems
    assert (problem.line, problem.column) == (5, 3)  # first_price, not the series as a whole
    assert problem.message == "series.first_price: both price and first_price are given"
    assert problem.hint is not None and problem.hint.startswith("price is a flat price")


def test_a_plan_validator_reaches_the_command_line_with_its_hint_and_place(
    runner: CliRunner, write_yaml: Callable[..., Path]
) -> None:
    path = write_yaml(
        """
        kind: plan
        name: Odds
        scenarios:
          - name: Paid
            probability: 0.5
          - name: Denied
            covered: false
            probability: 0.4
        """,
        "plan.yaml",
    )
    result = runner.invoke(app, ["check", str(path)])
    assert_input_error(result)
    # The validator names the key `scenarios` (line 3, column 1); 0.5 + 0.4 = 0.9.
    assert result.stderr.splitlines() == [
        f"{path}:3:1: error: scenarios: scenario probabilities add up to 0.9, not 1",
        "   3 | scenarios:",
        "       ^^^^^^^^^",
        "  hint: adjust them so they sum to exactly 1 (e.g. 0.5, 0.4, 0.1)",
    ]


def test_scenario_names_that_differ_only_in_case_are_one_name(
    runner: CliRunner, write_yaml: Callable[..., Path]
) -> None:
    # --scenario matches whatever the case: 'denied' had picked the other, denied scenario
    path = write_yaml(
        """
        kind: plan
        name: Cases
        out_of_network: {allowed: 70%, coinsurance: 40%}
        scenarios:
          - {name: Denied, covered: false}
          - {name: denied}
        """,
        "plan.yaml",
    )
    result = runner.invoke(app, ["check", str(path)])
    assert_input_error(result)
    assert result.stderr.splitlines()[0] == (
        f"{path}:4:1: error: scenarios: scenario name 'Denied' is used twice"
        " ('Denied' and 'denied')"
    )


def test_a_parser_error_in_a_field_keeps_its_hint() -> None:
    text = "name: X\nseries:\n  sessions: 6\n  price: 600.125\n"
    with pytest.raises(InputError) as caught:
        load_document(parse("clinic.yaml", text))
    (problem,) = caught.value.problems
    assert (problem.line, problem.column) == (4, 10)
    assert problem.message == "series.price: amount 600.125 has more than two decimal places"
    assert problem.hint == "round it to cents, e.g. 600.13"  # half-up


def test_a_ledger_entry_of_no_kind_carries_its_hint() -> None:
    text = "clinic: c.yaml\nstart: 2027-01-04\nentries:\n  - date: 2027-01-04\n    paid: 750\n"
    with pytest.raises(InputError) as caught:
        load_document(parse("ledger.yaml", text), "ledger")
    (problem,) = caught.value.problems
    assert (problem.line, problem.column) == (4, 5)
    assert problem.message.endswith(
        "an entry holds exactly one of visit, claim, eob, received, charge, bill or appeal"
    )
    assert problem.hint is not None and problem.hint.startswith("give it a date and one of them")


def _calls(tree: ast.AST) -> Iterator[ast.Call]:
    return (node for node in ast.walk(tree) if isinstance(node, ast.Call))


def _texts(node: ast.AST) -> list[str]:
    """Return the literal pieces of text in ``node`` (plain strings and f-string parts)."""
    return [
        piece.value
        for piece in ast.walk(node)
        if isinstance(piece, ast.Constant) and isinstance(piece.value, str)
    ]


def test_no_module_writes_hints_or_keys_into_the_message_text() -> None:
    # Hints and keys travel as Invalid's parts: no "message | hint", no "@key message",
    # and no reader that splits them back out of the text.
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for call in _calls(tree):
            name = call.func.attr if isinstance(call.func, ast.Attribute) else None
            name = name or (call.func.id if isinstance(call.func, ast.Name) else None)
            splits = name in ("partition", "rpartition", "split") and bool(call.args)
            if splits and _texts(call.args[0]) == [" | "]:
                found.append(f"{path}:{call.lineno}: splits text at ' | '")
            raised = [*call.args, *(k.value for k in call.keywords)]
            if name in ("ValueError", "Invalid") or any(
                k.arg == "custom_error_message" for k in call.keywords
            ):
                for text in (t for arg in raised for t in _texts(arg)):
                    if " | " in text or text.startswith(("| ", "@")):
                        found.append(f"{path}:{call.lineno}: {text!r}")
        names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
        names |= {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}
        if "split_hint" in names:
            found.append(f"{path}: split_hint")
    assert found == []


def test_check_warns_of_a_later_price_never_charged(tmp_path: Path) -> None:
    clinic = tmp_path / "clinic.yaml"
    clinic.write_text(
        "name: Six\nseries:\n  sessions: 6\n  first_price: 750\n  first_sessions: 9\n"
        "  later_price: 600\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["check", str(clinic)])
    assert result.exit_code == 0
    assert f"{clinic}:5:19: warning: the series' later price is never charged" in result.stderr


def test_a_plan_where_a_clinic_or_ledger_belongs_says_where_each_goes(tmp_path: Path) -> None:
    plan = tmp_path / "acme-ppo.yaml"  # a copy: log locks beside the file it is given
    plan.write_bytes((Path(__file__).parent.parent / "examples/plans/acme-ppo.yaml").read_bytes())
    for args in (["estimate", str(plan)], ["log", str(plan), "visit", "X", "--paid", "5"]):
        result = CliRunner().invoke(app, [*args, "--no-config"])
        assert result.exit_code == 2
        wanted = "clinic" if args[0] == "estimate" else "ledger"
        assert f"hint: pass a {wanted} file here; a plan goes with --plan" in result.stderr


def test_a_file_of_no_known_kind_lists_every_kind(tmp_path: Path) -> None:
    odd = tmp_path / "odd.yaml"
    odd.write_text("name: Something\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["check", str(odd)])
    assert result.exit_code == 2
    assert "cannot tell what kind of file this is" in result.stderr
    assert "`kind: ledger`, `kind: person` or `kind: personal`" in result.stderr
    person = tmp_path / "me.yaml"
    person.write_text("state: NJ\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["estimate", "--config", str(person)])
    assert result.exit_code == 2
    assert "a person file needs `kind: person`" in result.stderr


def checked_allowed(tmp_path: Path, written: str):
    """Return `check` of a plan whose out-of-network allowed amount is ``written``."""
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        f"kind: plan\nname: P\nout_of_network: {{coinsurance: 20%, allowed: {written}}}\n",
        encoding="utf-8",
    )
    return CliRunner().invoke(app, ["check", str(plan)])


def test_an_allowed_fraction_is_offered_back_as_a_percent(tmp_path: Path) -> None:
    for written, share in (("0.7", "70%"), ("0.655", "65.5%"), ("70", "70%")):
        result = checked_allowed(tmp_path, written)
        assert result.exit_code == 2
        assert f"{written} is ambiguous" in result.stderr
        assert f'write {share} for a share of the billed amount, or "${written}"' in result.stderr


def test_plan_terms_that_contradict_each_other_are_warned_of(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        "kind: plan\nname: P\nout_of_network:\n  deductible: 2000\n  coinsurance: 20%\n"
        "  allowed: 100%\n  out_of_pocket_max: 1000\nalready_met:\n  deductible: 5000\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["check", str(plan)])
    assert result.exit_code == 0
    assert (
        f"{plan}:7:22: warning: the out-of-pocket maximum ($1,000.00) is below the deductible"
        " ($2,000.00)"
    ) in result.stderr
    assert f"{plan}:9:3: warning: already met toward the deductible ($5,000.00)" in result.stderr
    # the figures stand as the rules make them: the $5,000 met fills the deductible and,
    # counting toward the cap as well, the whole $1,000 cap
    clinic = Path(__file__).parent.parent / "pricing" / "los-angeles-iv.yaml"
    args = ["estimate", str(clinic), "--plan", str(plan), "--start", "2027-01-04", "-f", "json"]
    result = CliRunner().invoke(app, [*args, "--months", "1", "--no-config"])
    data = json.loads(result.stdout)
    assert any(w.startswith("The out-of-pocket maximum ($1,000.00)") for w in data["warnings"])
    # 750 × 2 + 600 × 4 = 3,900 paid, all of it allowed and paid back: nothing left to bear
    assert data["scenarios"][0]["reimbursed"] == f"{750 * 2 + 600 * 4:.2f}"
    assert data["scenarios"][0]["net"] == "0.00"


def test_check_of_a_plan_with_an_empty_terms_block_is_no_internal_error(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text("kind: plan\nname: F\nout_of_network: {}\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["check", str(plan)])
    assert (result.exit_code, result.stdout) == (0, "ok: 1 file checked, no problems\n")


@pytest.mark.parametrize(
    ("written", "message", "hint"),
    [
        # no share is above 100%: only the amount is offered, never a % it would refuse
        ("150", "150 is ambiguous", 'hint: write "$150" for a fixed amount per claim'),
        ("abc", "expected a share of the bill or an amount per claim, got 'abc'", "(70%)"),
    ],
)
def test_an_allowed_amount_hint_offers_only_what_would_be_read(
    tmp_path: Path, written: str, message: str, hint: str
) -> None:
    result = checked_allowed(tmp_path, written)
    assert result.exit_code == 2
    assert message in result.stderr and hint in result.stderr
    assert f"{written}%" not in result.stderr
