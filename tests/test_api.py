"""The typed Python API (docs/api.md): names, loading, estimates, errors."""

from __future__ import annotations

import datetime as dt
import importlib.resources
import importlib.util
import json
import re
import subprocess
import sys
import textwrap
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import ketacost

D = Decimal
START = dt.date(2027, 1, 4)
TWO_PLACES = re.compile(r"^[0-9]+\.[0-9]{2}$")
ROOT = Path(__file__).resolve().parent.parent
WESTSIDE = ROOT / "examples" / "clinics" / "westside.yaml"
ACME = ROOT / "examples" / "plans" / "acme-ppo.yaml"

# The README's phone quote: $700 for the first session, $550 for the five after it.
QUOTE_YAML = """\
name: Quoted by phone
series:
  sessions: 6
  first_price: 700
  later_price: "550"
"""
QUOTE_TOTAL = D(700 + 5 * 550)

# Deductible 1000, coinsurance 20%, allowed 80% of billed, one scenario (no `scenarios`).
PLAN_YAML = """\
kind: plan
name: Code PPO
out_of_network:
  deductible: 1000
  coinsurance: 20%
  allowed: 80%
claims:
  paid_after_days: 30
"""
# By hand, claims in date order (allowed = 0.8 × billed):
#   session 1: allowed 560, all to the deductible (1000 − 560 = 440 left) → 0 back
#   session 2: allowed 440, all to the deductible (0 left)                 → 0 back
#   sessions 3–6: allowed 440, coinsurance 0.2 × 440 = 88 → 440 − 88 = 352 back each
QUOTE_REIMBURSED = 4 * (D("0.8") * 550 - D("0.2") * D("0.8") * 550)
QUOTE_NET = QUOTE_TOTAL - QUOTE_REIMBURSED


def _plain_json(value: Any, where: str = "$") -> None:
    """Assert ``value`` holds only what JSON holds: dicts with str keys, lists, str, int, bool, None."""
    if isinstance(value, dict):
        for key, item in value.items():
            assert isinstance(key, str), where
            _plain_json(item, f"{where}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _plain_json(item, f"{where}[{index}]")
    else:
        assert value is None or type(value) in (str, int, bool), (where, type(value))


# --- names -----------------------------------------------------------------------------------


def test_every_name_in_all_exists() -> None:
    assert {"load_clinic", "load_plan", "estimate", "Clinic", "Plan", "InputError"} <= set(
        ketacost.__all__
    )
    for name in ketacost.__all__:
        assert getattr(ketacost, name) is not None, name
    assert set(ketacost.__all__) <= set(dir(ketacost))


def test_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError):
        ketacost.no_such_name  # noqa: B018


def test_star_import_gives_the_public_names() -> None:
    namespace: dict[str, Any] = {}
    exec("from ketacost import *", namespace)
    assert set(ketacost.__all__) <= namespace.keys()


# --- loading ------------------------------------------------------------------------------------


def test_load_clinic_from_a_path_str_or_path() -> None:
    by_text = ketacost.load_clinic(str(WESTSIDE))
    by_path = ketacost.load_clinic(WESTSIDE)
    assert isinstance(by_path, ketacost.Clinic)
    assert by_text == by_path
    assert by_path.name == "Westside Ketamine"
    assert by_path.series.first_price == D("750")
    assert by_path.series.later_price == D("600")
    assert isinstance(by_path.series.later_price, Decimal)


def test_load_clinic_by_bundled_name() -> None:
    clinic = ketacost.load_clinic("new-jersey-iv-low")
    assert clinic.series.price == D(250)
    assert clinic.series.sessions == 6
    assert ketacost.load_clinic() == ketacost.load_clinic("los-angeles-iv")  # the default


def test_load_plan() -> None:
    plan = ketacost.load_plan(ACME)
    assert isinstance(plan, ketacost.Plan)
    assert plan.out_of_network.deductible == D(2000)
    assert [s.name for s in plan.scenarios] == ["Denied", "As written", "Generous"]


def test_yaml_decimals_are_exact(tmp_path) -> None:
    path = tmp_path / "cents.yaml"
    path.write_text("name: Cents\nseries:\n  sessions: 1\n  price: 600.10\n", encoding="utf-8")
    clinic = ketacost.load_clinic(path)
    assert clinic.series.price == D("600.10")
    result = ketacost.estimate(clinic, start=START)
    assert result.total == D("600.10")
    assert result.to_dict()["total"] == "600.10"


# --- estimates ------------------------------------------------------------------------------------


def test_estimate_of_the_design_example() -> None:
    result = ketacost.estimate(
        ketacost.load_clinic(WESTSIDE), ketacost.load_plan(ACME), start=START, months=12
    )
    assert isinstance(result, ketacost.Estimate)
    # series 750 × 2 + 600 × 4, intake 300, esketamine 900 × 4, boosters 600 × 4, lozenges 120 × 12
    assert result.total == D(750 * 2 + 600 * 4 + 300 + 900 * 4 + 600 * 4 + 120 * 12)
    assert [s.name for s in result.scenarios] == ["Denied", "As written", "Generous"]
    assert isinstance(result.scenarios[0], ketacost.ScenarioResult)
    assert result.scenarios[0].net == result.total  # denied: nothing comes back
    # The superbill bills 500 + 250 = 750 per claimable session (14 of them).
    # As written (70% → 525 allowed; 1500 deductible left): 0, 0, then 525 − 450 − 0.4 × 75 = 45,
    # then 525 − 0.4 × 525 = 315 for each of the 11 later claims.
    as_written = D(45) + 11 * (D(525) - D("0.4") * 525)
    # Generous (100% → 750): 0, 0, then 750 − 0.4 × 750 = 450 for each of the 12 later claims.
    generous = 12 * (D(750) - D("0.4") * 750)
    assert result.scenarios[1].reimbursed == as_written == D(3510)
    assert result.scenarios[2].reimbursed == generous == D(5400)
    assert result.expected_net == (
        D("0.5") * result.total
        + D("0.4") * (result.total - as_written)
        + D("0.1") * (result.total - generous)
    )


def test_models_built_in_code_equal_the_loaded_files(tmp_path) -> None:
    (tmp_path / "quote.yaml").write_text(QUOTE_YAML, encoding="utf-8")
    (tmp_path / "plan.yaml").write_text(PLAN_YAML, encoding="utf-8")
    loaded = ketacost.estimate(
        ketacost.load_clinic(tmp_path / "quote.yaml"),
        ketacost.load_plan(tmp_path / "plan.yaml"),
        start=START,
    )
    clinic = ketacost.Clinic(
        name="Quoted by phone", series={"sessions": 6, "first_price": 700, "later_price": "550"}
    )
    plan = ketacost.Plan(
        kind="plan",
        name="Code PPO",
        out_of_network={"deductible": D(1000), "coinsurance": "20%", "allowed": "80%"},
        claims={"paid_after_days": 30},
    )
    built = ketacost.estimate(clinic, plan, start=START, months=12)
    assert built.to_dict() == loaded.to_dict()
    assert built.total == loaded.total == QUOTE_TOTAL == D(3450)
    assert [s.name for s in built.scenarios] == ["Code PPO"]
    assert built.scenarios[0].reimbursed == QUOTE_REIMBURSED == D(4 * 352)
    assert built.scenarios[0].net == QUOTE_NET == D(3450 - 1408)
    assert built.expected_net is None


def test_self_pay_without_a_plan() -> None:
    clinic = ketacost.Clinic(name="Flat", series={"sessions": 6, "price": D("499.99")})
    result = ketacost.estimate(clinic, start=START)
    assert result.total == 6 * D("499.99") == D("2999.94")
    assert [s.name for s in result.scenarios] == ["Self-pay"]
    assert result.scenarios[0].net == result.total
    assert result.expected_net is None


def test_models_are_frozen_and_model_copy_updates() -> None:
    clinic = ketacost.load_clinic(WESTSIDE)
    with pytest.raises(ValueError):
        clinic.name = "Other"  # type: ignore[misc]
    cheaper = clinic.model_copy(
        update={"series": clinic.series.model_copy(update={"later_price": D(500)})}
    )
    before = ketacost.estimate(clinic, start=START).total
    after = ketacost.estimate(cheaper, start=START).total
    assert before - after == 4 * (D(600) - D(500))
    assert clinic.series.later_price == D(600)  # the original is unchanged


# --- to_dict / to_json ------------------------------------------------------------------------------


def test_to_dict_is_plain_json_ready_data() -> None:
    result = ketacost.estimate(
        ketacost.load_clinic(WESTSIDE), ketacost.load_plan(ACME), start=START
    )
    data = result.to_dict()
    _plain_json(data)
    json.dumps(data)  # no default= needed
    assert data["total"] == "11640.00"
    assert data["expected_net"] == str(result.expected_net.quantize(D("0.01")))
    assert data["start"] == "2027-01-04"
    assert data["clinic"]["name"] == "Westside Ketamine"
    for key in ("total", "series_total", "average_per_session"):
        assert TWO_PLACES.match(data[key]), key
    for event in data["events"]:
        assert TWO_PLACES.match(event["amount"])
    for scenario in data["scenarios"]:
        for key in ("paid", "billed", "allowed", "reimbursed", "balance_billed", "net"):
            assert TWO_PLACES.match(scenario[key]), key
        for month in scenario["cashflow"]:
            for key in ("paid", "reimbursed", "cumulative"):
                assert TWO_PLACES.match(month[key]), key
        for claim in scenario["claims"]:
            assert TWO_PLACES.match(claim["reimbursed"])
    assert data["scenarios"][1]["reimbursed"] == "3510.00"


def test_to_json_parses_to_the_same_data() -> None:
    result = ketacost.estimate(
        ketacost.load_clinic("los-angeles-iv"), ketacost.load_plan(ACME), start=START
    )
    text = result.to_json()
    assert isinstance(text, str)
    assert json.loads(text) == result.to_dict()
    assert json.loads(result.to_json(indent=None)) == result.to_dict()
    assert "\n" not in result.to_json(indent=None)
    # README's worked example: 750 × 2 + 600 × 4 + 600 × 4 boosters; expected net 5313.60.
    assert json.loads(text)["total"] == f"{750 * 2 + 600 * 4 + 600 * 4}.00"
    assert json.loads(text)["expected_net"] == "5313.60"


# --- errors -----------------------------------------------------------------------------------------


def test_input_error_for_a_bad_file_has_positions(tmp_path) -> None:
    path = tmp_path / "typo.yaml"
    path.write_text(
        "name: Typo\nseries:\n  sessions: six\n  later_prize: 600\n  price: 500\n",
        encoding="utf-8",
    )
    with pytest.raises(ketacost.InputError) as caught:
        ketacost.load_clinic(path)
    problems = caught.value.problems
    assert len(problems) == 2  # every problem at once
    assert all(isinstance(p, ketacost.Problem) for p in problems)
    by_line = {p.line: p for p in problems}
    assert set(by_line) == {3, 4}
    typo = by_line[4]
    assert typo.path == str(path)
    assert typo.column == 3  # `later_prize` is indented by two spaces
    assert typo.hint is not None and "later_price" in typo.hint
    sessions = by_line[3]
    assert sessions.path == str(path)
    assert sessions.column is not None and sessions.column >= 3
    assert "sessions" in sessions.message
    assert str(path) in str(caught.value)  # the exception text is the rendered problems


def test_input_error_for_a_missing_file_and_name(tmp_path) -> None:
    with pytest.raises(ketacost.InputError) as caught:
        ketacost.load_clinic(tmp_path / "nowhere.yaml")
    assert "nowhere.yaml" in caught.value.problems[0].path
    with pytest.raises(ketacost.InputError) as caught:
        ketacost.load_clinic("new-jersey-iv-lo")
    assert "new-jersey-iv-low" in (caught.value.problems[0].hint or "")


def test_input_error_for_a_bad_plan(tmp_path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text("kind: plan\nname: Bad\nout_of_network:\n  coinsurance: 40\n", encoding="utf-8")
    with pytest.raises(ketacost.InputError) as caught:
        ketacost.load_plan(path)
    problem = caught.value.problems[0]
    assert (problem.path, problem.line) == (str(path), 4)
    assert problem.column is not None
    assert "40%" in (problem.hint or "")


def test_input_error_for_a_bad_horizon() -> None:
    clinic = ketacost.load_clinic("new-jersey-iv-low")
    with pytest.raises(ketacost.InputError) as caught:
        ketacost.estimate(clinic, start=START, months=0)
    assert "months" in caught.value.problems[0].message


def test_estimate_refuses_a_plan_in_another_currency() -> None:
    clinic = ketacost.Clinic(name="Euro", currency="EUR", series={"sessions": 1, "price": 100})
    with pytest.raises(ketacost.InputError):
        ketacost.estimate(clinic, ketacost.load_plan(ACME), start=START)


@pytest.mark.parametrize(
    "build",
    [
        lambda: ketacost.Clinic(name="F", series={"sessions": 6, "price": 600.10}),
        lambda: ketacost.Clinic(
            name="F", series={"sessions": 6, "first_price": 700, "later_price": 550.0}
        ),
        lambda: ketacost.Plan(name="F", out_of_network={"deductible": 1000.50}),
        lambda: ketacost.Clinic(
            name="F",
            series={"sessions": 6, "price": 600},
            fees=[{"name": "Intake", "amount": 300.0}],
        ),
    ],
)
def test_floats_are_refused_for_money(build) -> None:
    with pytest.raises(ValueError) as caught:
        build()
    message = str(caught.value)
    assert "float" in message
    assert 'Decimal("' in message  # the hint says what to pass instead
    assert "Traceback" not in message


def test_floats_are_refused_for_percentages_in_estimate() -> None:
    with pytest.raises(ketacost.InputError) as caught:
        ketacost.ResponseTerms(rate=0.5)  # type: ignore[arg-type]
    assert "float" in str(caught.value)
    assert 'Decimal("0.5")' in str(caught.value)


# --- typing ---------------------------------------------------------------------------------------------


def test_package_ships_py_typed() -> None:
    marker = importlib.resources.files("ketacost") / "py.typed"
    assert marker.is_file(), "ketacost/py.typed is missing: type checkers ignore the package"


TYPED_SNIPPET = """\
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import ketacost


def projection(clinic_file: str, plan_file: str) -> tuple[Decimal, Decimal, str]:
    clinic: ketacost.Clinic = ketacost.load_clinic(clinic_file)
    plan: ketacost.Plan = ketacost.load_plan(plan_file)
    result: ketacost.Estimate = ketacost.estimate(clinic, plan, start=dt.date(2027, 1, 4), months=12)
    first: ketacost.ScenarioResult = result.scenarios[0]
    expected: Decimal | None = result.expected_net
    cheaper = clinic.model_copy(
        update={"series": clinic.series.model_copy(update={"later_price": Decimal("550")})}
    )
    other = ketacost.estimate(cheaper, None, start=dt.date(2027, 1, 4))
    built = ketacost.Clinic.model_validate({"name": "Q", "series": {"sessions": 6, "price": 600}})
    print(ketacost.estimate(built).total, other.total, expected)
    return result.total, first.net, result.to_json()


def problems(path: str) -> list[tuple[str, int | None, int | None]]:
    try:
        ketacost.load_clinic(path)
    except ketacost.InputError as error:
        found: list[ketacost.Problem] = error.problems
        return [(p.path, p.line, p.column) for p in found]
    return []
"""


# The docs' own example of a model built in code (docs/api.md, "Estimates").
def _readme_api_example() -> str:
    """Return the first code block of docs/api.md, as users would copy it."""
    page = (Path(__file__).parent.parent / "docs" / "api.md").read_text(encoding="utf-8")
    section = page.split("## Estimates", 1)[1]
    return section.split("```python\n", 1)[1].split("```", 1)[0]


def _mypy_strict(tmp_path: Path, source: str) -> subprocess.CompletedProcess[str]:
    if importlib.util.find_spec("mypy") is None:
        pytest.skip("mypy is not installed (pip install -e '.[test]' brings it)")
    snippet = tmp_path / "snippet.py"
    snippet.write_text(textwrap.dedent(source), encoding="utf-8")
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-color-output",
            "--cache-dir",
            str(tmp_path / ".mypy_cache"),
            str(snippet),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.slow
def test_mypy_strict_accepts_typed_use_of_the_public_api(tmp_path) -> None:
    done = _mypy_strict(tmp_path, TYPED_SNIPPET)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Success" in done.stdout


@pytest.mark.slow
def test_mypy_strict_catches_a_type_error(tmp_path) -> None:
    # The check has teeth: the API's types are seen, not Any.
    done = _mypy_strict(
        tmp_path,
        "import ketacost\n\ntotal: str = ketacost.estimate(ketacost.load_clinic()).total\n",
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Decimal" in done.stdout


@pytest.mark.slow
def test_mypy_strict_accepts_the_readme_example_of_a_model_built_in_code(tmp_path) -> None:
    # The docs' Python API block, models built in code included, as a user copies it.
    snippet = _readme_api_example()
    assert "ketacost.Clinic" in snippet
    done = _mypy_strict(tmp_path, snippet)
    assert done.returncode == 0, done.stdout + done.stderr


# --- the engine speaks no command line ---------------------------------------------------


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"months": 200}, "months"),
        ({"months": 0}, "months"),
        ({"finance": "12@9.99%"}, "finance"),
        ({"savings": True}, "savings"),
        ({"response": "50%"}, "response"),
        ({"personal": {"ride": 40}}, "personal"),
    ],
)
def test_estimate_errors_name_the_argument_not_a_flag(arguments: dict, field: str) -> None:
    clinic = ketacost.load_clinic("new-jersey-iv-low")
    with pytest.raises(ketacost.InputError) as caught:
        ketacost.estimate(clinic, start=START, **arguments)
    (problem,) = caught.value.problems
    assert problem.path == field
    assert "--" not in str(caught.value)


def test_repeated_estimates_of_one_clinic_and_plan_match_fresh_ones() -> None:
    """Estimates reuse a clinic's charges and a plan's terms; each must equal a fresh one."""

    def clinic(price: int) -> ketacost.Clinic:
        series = {"sessions": 6, "per_week": 2, "first_price": price, "later_price": 600}
        return ketacost.Clinic(name="Six sessions", series=series)

    def plan() -> ketacost.Plan:
        return ketacost.Plan(
            name="Two scenarios",
            out_of_network={"deductible": 2000, "coinsurance": "40%", "allowed": "70%"},
            scenarios=[
                {"name": "As written", "probability": "0.6"},
                {"name": "Denied", "covered": False, "probability": "0.4"},
            ],
        )

    kept_clinic, kept_plan = clinic(750), plan()
    for start, months, price in [
        (dt.date(2027, 1, 4), 12, 750),
        (dt.date(2027, 12, 20), 3, 750),
        (dt.date(2027, 1, 4), 12, 750),
    ]:
        again = ketacost.estimate(kept_clinic, kept_plan, start=start, months=months)
        fresh = ketacost.estimate(clinic(price), plan(), start=start, months=months)
        assert again.to_dict() == fresh.to_dict()
    other = ketacost.estimate(clinic(900), kept_plan, start=dt.date(2027, 1, 4))
    assert other.total != ketacost.estimate(kept_clinic, kept_plan, start=dt.date(2027, 1, 4)).total


def _reached_names(text: str) -> set[str]:
    """Every ``ketacost.X`` a script names, in code or in an import of a submodule."""
    return set(re.findall(r"\bketacost\.([A-Za-z_]\w*)", text))


def test_examples_and_readme_use_only_public_names() -> None:
    root = Path(__file__).resolve().parent.parent
    scripts = {path.name: path.read_text(encoding="utf-8") for path in root.glob("examples/*.py")}
    for page in [root / "README.md", *sorted(root.glob("docs/*.md"))]:
        text = page.read_text(encoding="utf-8")
        scripts[page.name] = "\n".join(re.findall(r"```python\n(.*?)```", text, flags=re.DOTALL))
    assert "import ketacost" in scripts["api.md"]  # the blocks were found
    for name, text in scripts.items():
        private = sorted(_reached_names(text) - set(ketacost.__all__))
        assert not private, f"{name} reaches internal names: {private}"


def test_internal_name_is_caught_by_the_check() -> None:
    script = "from ketacost.engine.estimate import estimate\nketacost.load_clinic('x')\n"
    assert _reached_names(script) - set(ketacost.__all__) == {"engine"}


@pytest.mark.parametrize(
    ("given", "said"),
    [
        ({"start": "2027-01-04"}, "expected a date, got str '2027-01-04'"),
        ({"start": dt.datetime(2027, 1, 4, 9, 30)}, "expected a date, got datetime"),
        ({"months": "12"}, "expected a whole number of months, got str '12'"),
        ({"months": 12.0}, "expected a whole number of months, got float 12.0"),
        ({"months": True}, "expected a whole number of months, got bool True"),
    ],
)
def test_a_start_or_horizon_of_the_wrong_type_is_an_input_error(
    given: dict[str, Any], said: str
) -> None:
    clinic = ketacost.load_clinic("los-angeles-iv")
    with pytest.raises(ketacost.InputError) as caught:
        ketacost.estimate(clinic, **given)
    assert said in str(caught.value)


def test_a_sweeps_net_stands_for_the_person_as_the_command_lines_does() -> None:
    # acme-ppo's scenarios carry probabilities: each row's net is the expected net, as the
    # estimate's, never the first scenario's (a denial) for being first
    examples = Path(__file__).resolve().parent.parent / "examples"
    clinic = ketacost.load_clinic(examples / "clinics" / "westside.yaml")
    plan = ketacost.load_plan(examples / "plans" / "acme-ppo.yaml")
    vary = {"series.later_price": ["500"]}
    (row,) = ketacost.sweep(clinic, plan, vary, start=START, scenario=None)
    priced = ketacost.estimate(
        ketacost.Clinic.model_validate(
            {**clinic.model_dump(mode="json", exclude_unset=True),
             "series": {**clinic.series.model_dump(mode="json", exclude_unset=True), "later_price": "500"}}
        ),
        plan,
        start=START,
    )  # fmt: skip
    assert row.net == priced.expected_net != priced.scenarios[0].net
    (denied,) = ketacost.sweep(clinic, plan, vary, start=START, scenario="Denied")
    assert denied.net == priced.scenarios[0].net
    # several scenarios and no probabilities: the person must say which stands for them
    even = plan.model_copy(
        update={"scenarios": [s.model_copy(update={"probability": None}) for s in plan.scenarios]}
    )
    with pytest.raises(ketacost.InputError, match="no probabilities"):
        ketacost.sweep(clinic, even, vary, start=START)


def test_a_plan_without_scenarios_is_named_by_its_own_name_in_a_sweep() -> None:
    examples = Path(__file__).resolve().parent.parent / "examples"
    clinic = ketacost.load_clinic(examples / "clinics" / "westside.yaml")
    plan = ketacost.load_plan(examples / "plans" / "by-code.yaml")
    assert not plan.scenarios
    vary = {"series.later_price": ["500"]}
    (named,) = ketacost.sweep(clinic, plan, vary, start=START, scenario=plan.name)
    (plain,) = ketacost.sweep(clinic, plan, vary, start=START)
    assert named.net == plain.net
    with pytest.raises(ketacost.InputError, match="no scenario"):
        ketacost.sweep(clinic, plan, vary, start=START, scenario="Denied")
