"""Fuzzing the loader: whatever the bytes, only `InputError` escapes, and the CLI exits 0 or 2.

Documents come from recursive strategies of mappings, lists and scalars dumped
with ``yaml.safe_dump``, from profile-shaped mappings with random values (to
reach the models' validators), from random text and from random bytes.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from ketacost import InputError, estimate
from ketacost.cli import app
from ketacost.files.load import apply_overrides, kind_of, load_document, validate
from ketacost.files.yaml_source import Document, decode, parse
from ketacost.model import Clinic, Plan

FUZZ = settings(
    max_examples=200,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)

KEYS = [
    "kind", "name", "location", "currency", "source", "title", "url", "checked", "modality",
    "series", "sessions", "per_week", "every_weeks", "price", "first_price", "first_sessions",
    "later_price", "fees", "amount", "per", "claimable", "maintenance", "after_weeks", "count",
    "for_weeks", "fill_price", "per_fill", "device_price", "devices", "session_fee", "billing",
    "network", "superbill", "codes", "code", "payment_plans", "months", "apr", "down_payment",
    "plan_year_starts", "out_of_network", "deductible", "coinsurance", "out_of_pocket_max",
    "allowed", "by_code", "other", "already_met", "out_of_pocket", "claims", "paid_after_days",
    "scenarios", "covered", "probability",
]  # fmt: skip
WORDS = [
    "clinic", "plan", "booster", "lozenge", "esketamine", "once", "session", "month",
    "iv-infusion", "out-of-network", "self-pay-only", "USD", "EUR", "XYZ", "40%", "70%",
    "150%", "-5%", "$1,200.50", "$-3", "01-01", "02-30", "13-01", "2026-11-20", "2026-13-45",
    "yes", "no", "on", "null", "~", ".nan", ".inf", "-.inf", "0x1F", "0o17", "1e400", "",
]  # fmt: skip

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.integers(min_value=-3, max_value=20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=False, allow_infinity=False, places=3).map(str),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 1, 1)),
    st.sampled_from(WORDS),
    st.text(max_size=20),
)
keys = st.one_of(st.sampled_from(KEYS), st.text(max_size=12), st.integers(-5, 5))
trees = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(keys, children, max_size=6),
    ),
    max_leaves=25,
)


def _value(depth: int = 0) -> st.SearchStrategy:
    return trees if depth > 1 else st.one_of(scalars, scalars, trees)


money = st.one_of(
    st.integers(-10, 5000),
    st.decimals(min_value=-10, max_value=5000, places=3, allow_nan=False),
    st.sampled_from(["$1,200.50", "600.123", "abc", "-1", ".nan", "1e3", "", "USD 400"]),
    scalars,
)
cadence = st.one_of(st.integers(-1, 10), st.sampled_from(["0", "0.5", "1e9", "2"]), scalars)
series = st.fixed_dictionaries(
    {"sessions": st.one_of(st.integers(-3, 12), st.integers(10**3, 10**6), scalars)},
    optional={
        "per_week": cadence,
        "every_weeks": cadence,
        "price": money,
        "first_price": money,
        "first_sessions": st.one_of(st.integers(-1, 8), scalars),
        "later_price": money,
        "later_prize": money,
    },
)
maintenance_item = st.fixed_dictionaries(
    {"kind": st.one_of(st.sampled_from(["booster", "lozenge", "esketamine", "massage"]), scalars)},
    optional={
        "every_weeks": cadence,
        "per_week": cadence,
        "price": money,
        "fill_price": money,
        "per_fill": st.one_of(st.integers(-1, 60), scalars),
        "device_price": money,
        "devices": st.one_of(st.integers(-1, 4), scalars),
        "session_fee": money,
        "after_weeks": cadence,
        "count": st.one_of(st.integers(-1, 20), scalars),
        "for_weeks": cadence,
    },
)
clinic_shaped = st.fixed_dictionaries(
    {"name": st.one_of(st.just("Fuzz Clinic"), scalars), "series": st.one_of(series, _value())},
    optional={
        "kind": st.one_of(st.just("clinic"), scalars),
        "currency": st.one_of(st.sampled_from(["USD", "EUR", "usd", "XYZ"]), scalars),
        "source": st.one_of(
            st.fixed_dictionaries(
                {"title": scalars}, optional={"checked": scalars, "url": scalars}
            ),
            _value(),
        ),
        "modality": st.one_of(st.sampled_from(["iv-infusion", "oral", "surgery"]), scalars),
        "fees": st.lists(
            st.fixed_dictionaries(
                {"name": scalars, "amount": money},
                optional={"per": scalars, "claimable": scalars},
            ),
            max_size=3,
        ),
        "maintenance": st.lists(maintenance_item, max_size=3),
        "billing": st.fixed_dictionaries(
            {},
            optional={
                "network": scalars,
                "superbill": scalars,
                "codes": st.lists(
                    st.fixed_dictionaries({"code": scalars, "amount": money}), max_size=3
                ),
            },
        ),
        "payment_plans": st.lists(
            st.fixed_dictionaries({"name": scalars, "months": scalars}, optional={"apr": scalars}),
            max_size=2,
        ),
    },
)
percent = st.one_of(
    st.sampled_from(["40%", "0.4", "40", "150%", "-1%", "%", "1e-3"]),
    st.decimals(min_value=-2, max_value=200, places=2, allow_nan=False),
    scalars,
)
allowed = st.one_of(
    percent,
    money,
    st.fixed_dictionaries(
        {"by_code": st.dictionaries(st.text(max_size=6), money, max_size=3)},
        optional={"other": st.one_of(percent, money)},
    ),
)
plan_shaped = st.fixed_dictionaries(
    {"kind": st.just("plan"), "name": st.one_of(st.just("Fuzz Plan"), scalars)},
    optional={
        "currency": scalars,
        "plan_year_starts": st.one_of(st.sampled_from(["01-01", "02-29", "02-30", "1-1"]), scalars),
        "covered": scalars,
        "out_of_network": st.fixed_dictionaries(
            {},
            optional={
                "deductible": money,
                "coinsurance": percent,
                "out_of_pocket_max": money,
                "allowed": allowed,
            },
        ),
        "already_met": st.fixed_dictionaries(
            {}, optional={"deductible": money, "out_of_pocket": money}
        ),
        "claims": st.fixed_dictionaries(
            {}, optional={"paid_after_days": st.one_of(st.integers(-5, 1000), scalars)}
        ),
        "scenarios": st.lists(
            st.fixed_dictionaries(
                {"name": scalars},
                optional={
                    "probability": percent,
                    "covered": scalars,
                    "allowed": allowed,
                    "coinsurance": percent,
                    "deductible": money,
                },
            ),
            max_size=4,
        ),
    },
)


def dump(data: object) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def decimal_safe(data: object) -> object:
    """safe_dump cannot represent Decimal: write it as its exact text, unquoted."""
    if isinstance(data, Decimal):
        return float(data) if data.is_finite() else str(data)
    if isinstance(data, dict):
        return {k: decimal_safe(v) for k, v in data.items()}
    if isinstance(data, list):
        return [decimal_safe(v) for v in data]
    return data


TOKENS = [*KEYS, *WORDS, ":", "- ", "  ", "\n", "[", "]", "{", "}", "&a", "*a", "!!str", "!x", "#", '"', "'", "|", ">", "? ", "---", "..."]  # fmt: skip
documents = st.one_of(
    trees.map(dump),
    clinic_shaped.map(decimal_safe).map(dump),
    plan_shaped.map(decimal_safe).map(dump),
    st.text(max_size=300),
    st.lists(st.sampled_from(TOKENS), max_size=60).map("".join),
)


def assert_problems_sane(error: InputError, text: str | None = None) -> None:
    """Every problem renders, names a file, and points inside the text when it has a line."""
    assert error.problems
    rendered = str(error)
    assert "Traceback" not in rendered
    for problem in error.problems:
        assert problem.path
        problem.render()
        if problem.line is not None and text is not None:
            assert 1 <= problem.line <= len(text.splitlines()) + 1, (problem, text)
            assert problem.column is None or problem.column >= 1


def load_all(path: str, text: str) -> None:
    """Parse, then run every loading step on the document; only InputError may escape."""
    document = parse(path, text)
    steps = (
        lambda: kind_of(document),
        lambda: load_document(document),
        lambda: validate(document, Clinic),
        lambda: validate(document, Plan),
    )
    for step in steps:
        try:
            step()
        except InputError as error:
            assert_problems_sane(error, text)


@FUZZ
@given(text=documents)
@example(text="name: Bell & Whistle\x07\nseries: {sessions: 6, price: 400}\n")
@example(text="name: Bell\x07\nseries: {sessions: 6, price: 400}\n")
@example(text="&\x1f")
def test_parse_and_load_text(text: str) -> None:
    try:
        load_all("fuzz.yaml", text)
    except InputError as error:
        assert_problems_sane(error, text)


@FUZZ
@given(data=st.one_of(clinic_shaped, plan_shaped).map(decimal_safe))
@example(data={"kind": ["clinic"], "name": "X"})
@example(data={"name": "X", "series": {"sessions": 6, "price": "1" * 30 + ".123"}})
@example(
    data={
        "name": "X",
        "series": {"sessions": 6, "price": 4},
        "maintenance": [{"kind": "esketamine", "per_week": 1, "device_price": 730}],
    }
)
@example(
    data={
        "name": "X",
        "series": {"sessions": 6, "price": 4},
        "maintenance": [{"kind": "booster", "per_week": 1, "every_weeks": 12}],
    }
)
def test_profile_shaped(data: dict) -> None:
    text = dump(data)
    try:
        load_all("fuzz.yaml", text)
    except InputError as error:
        assert_problems_sane(error, text)


@FUZZ
@given(
    raw=st.one_of(st.binary(max_size=400), documents.map(lambda t: t.encode("utf-8", "replace")))
)
def test_decode_and_parse_bytes(raw: bytes) -> None:
    try:
        text = decode("fuzz.yaml", raw)
        load_all("fuzz.yaml", text)
    except InputError as error:
        assert_problems_sane(error)


VALID = "name: Fuzz Clinic\nseries:\n  sessions: 6\n  first_price: 750\n  later_price: 600\n"


@FUZZ
@given(
    overrides=st.lists(
        st.one_of(
            st.text(max_size=30),
            st.builds(
                lambda k, v: f"{k}={v}",
                st.one_of(
                    st.sampled_from(
                        [
                            "series.price",
                            "series.later_price",
                            "series.sessions",
                            "name",
                            "fees.0.amount",
                            "series",
                            "series.0",
                            "nosuch.key",
                            "name.x",
                            "",
                        ]
                    ),
                    st.text(max_size=15),
                ),
                st.one_of(st.sampled_from(WORDS), st.text(max_size=15), trees.map(dump)),
            ),
        ),
        max_size=3,
    )
)
@example(overrides=["name=&\x1f"])
@example(overrides=["name=\x07"])
def test_set_overrides(overrides: list[str]) -> None:
    document: Document = parse("fuzz.yaml", VALID)
    try:
        apply_overrides(document, overrides)
        load_document(document, "clinic")
    except InputError as error:
        assert_problems_sane(error)


# Plausible profiles: mostly loadable, so the schedule and claims engine run on them too.
amount = st.one_of(
    st.integers(0, 5000),
    st.decimals(min_value=0, max_value=5000, places=2, allow_nan=False),
    st.integers(10**6, 10**40),
)
weeks = st.one_of(st.integers(1, 60), st.sampled_from(["0.5", "2.5", "520"]))
plausible_clinic = st.fixed_dictionaries(
    {
        "name": st.just("Plausible Clinic"),
        "series": st.fixed_dictionaries(
            {"sessions": st.integers(1, 10_000)},
            optional={"per_week": st.integers(1, 7), "first_price": amount, "later_price": amount},
        ).map(lambda s: s if "first_price" in s else {**s, "price": 500}),
    },
    optional={
        "fees": st.lists(
            st.fixed_dictionaries(
                {"name": st.just("Fee"), "amount": amount},
                optional={
                    "per": st.sampled_from(["once", "session", "month"]),
                    "claimable": st.booleans(),
                },
            ),
            max_size=3,
        ),
        "maintenance": st.lists(
            st.one_of(
                st.fixed_dictionaries(
                    {"kind": st.just("booster"), "every_weeks": weeks},
                    optional={"price": amount, "count": st.integers(1, 50), "after_weeks": weeks},
                ),
                st.fixed_dictionaries(
                    {"kind": st.just("lozenge"), "fill_price": amount},
                    optional={"every_weeks": weeks, "for_weeks": weeks},
                ),
                st.fixed_dictionaries(
                    {"kind": st.just("esketamine"), "per_week": st.integers(1, 7)},
                    optional={"price": amount, "count": st.integers(1, 50)},
                ),
            ),
            max_size=3,
        ),
        "billing": st.fixed_dictionaries(
            {"network": st.sampled_from(["out-of-network", "in-network", "self-pay-only"])},
            optional={
                "codes": st.lists(
                    st.fixed_dictionaries(
                        {"code": st.sampled_from(["96365", "99214", "J3490"]), "amount": amount}
                    ),
                    max_size=3,
                )
            },
        ),
    },
)
plausible_plan = st.fixed_dictionaries(
    {"kind": st.just("plan"), "name": st.just("Plausible Plan")},
    optional={
        "plan_year_starts": st.sampled_from(["01-01", "07-01", "02-29", "12-31"]),
        "covered": st.booleans(),
        "out_of_network": st.fixed_dictionaries(
            {},
            optional={
                "deductible": amount,
                "coinsurance": st.sampled_from(["0%", "40%", "100%", "0.2"]),
                "out_of_pocket_max": amount,
                "allowed": st.one_of(
                    st.sampled_from(["70%", "100%", "0%", "400"]),
                    amount,
                    st.fixed_dictionaries(
                        {"by_code": st.dictionaries(st.sampled_from(["96365", "99214"]), amount)},
                        optional={"other": st.sampled_from(["50%", "100"])},
                    ),
                ),
            },
        ),
        "already_met": st.fixed_dictionaries(
            {}, optional={"deductible": amount, "out_of_pocket": amount}
        ),
        "claims": st.fixed_dictionaries({"paid_after_days": st.integers(0, 730)}),
    },
)


@FUZZ
@given(
    clinic_data=plausible_clinic.map(decimal_safe),
    plan_data=st.none() | plausible_plan.map(decimal_safe),
    start=st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 12, 31)),
    months=st.integers(-1, 130),
)
@example(
    clinic_data={"name": "X", "series": {"sessions": 6, "price": 10**33}},
    plan_data=None,
    start=dt.date(2027, 1, 4),
    months=12,
)
def test_estimate_on_loadable_profiles(
    clinic_data: dict, plan_data: dict | None, start: dt.date, months: int
) -> None:
    try:
        clinic = load_document(parse("clinic.yaml", dump(clinic_data)), "clinic")
        plan = load_document(parse("plan.yaml", dump(plan_data)), "plan") if plan_data else None
        result = estimate(clinic, plan, start=start, months=months)  # type: ignore[arg-type]
        result.to_json()
    except InputError as error:
        assert_problems_sane(error)


RUNNER = CliRunner()


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def run_check(workdir: Path, raw: bytes):
    path = workdir / "fuzz.yaml"
    path.write_bytes(raw)
    result = RUNNER.invoke(app, ["check", str(path)])
    both = result.stdout + result.stderr
    assert result.exit_code in (0, 2), (result.exit_code, both, raw)
    assert "Traceback" not in both and "internal error" not in both, both
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    if result.exit_code == 2:
        assert result.stdout == ""
        assert str(path) in result.stderr
    elif result.stderr:  # a valid file may still earn warnings (a price never charged, ...)
        assert result.stdout.startswith("ok: 1 file checked, no problems, ")
        assert ": error:" not in result.stderr and ": warning:" in result.stderr
    else:
        assert result.stdout == "ok: 1 file checked, no problems\n"
    return result


@FUZZ
@given(text=st.one_of(documents, clinic_shaped.map(decimal_safe).map(dump)))
@example(text="name: Bell & Whistle\x07\nseries: {sessions: 6, price: 400}\n")
def test_cli_check_text(workdir: Path, text: str) -> None:
    run_check(workdir, text.encode("utf-8", "surrogatepass"))


@FUZZ
@given(raw=st.binary(max_size=300))
@example(raw=b"name: A & B\x1b\n")
def test_cli_check_bytes(workdir: Path, raw: bytes) -> None:
    run_check(workdir, raw)
