"""`ketacost init`: the phone-call questionnaire writes a profile that `check` accepts."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from typer.testing import CliRunner

import ketacost
from ketacost.cli import app
from ketacost.model.clinic import Booster

START = ("--start", "2027-01-04")


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def invoke(runner: CliRunner, *args: str | Path, input: str | None = None):
    return runner.invoke(app, [str(a) for a in args], input=input)


def assert_clean_exit(result) -> None:
    both = result.stdout + result.stderr
    assert "Traceback" not in both and "internal error" not in both, both
    assert result.exit_code == 0, (result.stdout, result.stderr)


def estimate_json(runner: CliRunner, path: Path) -> dict:
    result = invoke(runner, "estimate", path, *START, "--format", "json")
    assert_clean_exit(result)
    return json.loads(result.stdout)


def test_no_input_minimal(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    result = invoke(runner, "init", path, "--no-input", "--name", "X", "--first-price", "400")
    assert_clean_exit(result)
    assert path.is_file()
    assert result.stdout == ""  # the "Wrote ..." note is for humans: stderr
    check = invoke(runner, "check", "-q", path)
    assert (check.exit_code, check.stdout, check.stderr) == (0, "", "")
    data = estimate_json(runner, path)
    assert Decimal(data["total"]) == Decimal(400 * 6)
    assert data["clinic"]["name"] == "X"
    clinic = ketacost.load_clinic(path)
    assert clinic.series.sessions == 6
    assert clinic.series.price_of(0) == clinic.series.price_of(5) == Decimal(400)
    assert clinic.fees == [] and clinic.maintenance == [] and clinic.payment_plans == []
    assert clinic.source is not None and clinic.source.checked == dt.date.today()


def test_written_profile_names_an_existing_schema(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    assert_clean_exit(
        invoke(runner, "init", path, "--no-input", "--name", "X", "--first-price", "400")
    )
    first = path.read_text(encoding="utf-8").splitlines()[0]
    prefix = "# yaml-language-server: $schema="
    assert first.startswith(prefix)
    ref = first.removeprefix(prefix).strip()
    url = urlparse(ref)
    target = Path(unquote(url.path)) if url.scheme == "file" else (path.parent / ref)
    assert target.is_file(), ref
    assert json.loads(target.read_text(encoding="utf-8"))["$id"] == "clinic.schema.json"


# Answers in the order cli/init.py asks them.
INTERVIEW = [
    ("Clinic name", "Eastside Ketamine"),
    ("City, state", "Boston, MA"),
    ("Treatment", "im-injection"),
    ("Sessions in the series", "6"),
    ("Sessions a week", "2"),
    ("First price", "750"),
    ("Sessions at the first price", "2"),
    ("Later price", "600"),
    ("Intake fee", "300"),
    ("Monthly fee", "50"),
    ("Booster price", "550"),
    ("Weeks between boosters", "8"),
    ("Billing", "out-of-network"),
    ("Superbill", "yes"),
    ("Payment plan months", "12"),
    ("Payment plan APR", "9.99%"),
    ("Source", "Phone call with the front desk"),
    ("Published", "2026-10-01"),
    ("Checked", "2026-11-20"),
]


def answers(replace: dict[str, list[str]] | None = None) -> str:
    """Return the interview's input; ``replace`` puts several lines where one answer was."""
    lines: list[str] = []
    for question, answer in INTERVIEW:
        lines.extend((replace or {}).get(question, [answer]))
    lines.append("")  # Enter at "Write ...? [Y/n]": yes
    return "\n".join(lines) + "\n"


def assert_interview_profile(path: Path) -> None:
    clinic = ketacost.load_clinic(path)
    assert clinic.name == "Eastside Ketamine"
    assert clinic.location == "Boston, MA"
    assert clinic.modality == "im-injection"
    series = clinic.series
    assert series.sessions == 6
    assert series.first_price == Decimal(750)
    assert series.first_sessions == 2
    assert series.later_price == Decimal(600)
    assert [series.price_of(i) for i in range(6)] == [Decimal(p) for p in (750, 750) + (600,) * 4]
    fees = {fee.per: fee.amount for fee in clinic.fees}
    assert fees == {"once": Decimal(300), "month": Decimal(50)}
    assert len(clinic.maintenance) == 1
    booster = clinic.maintenance[0]
    assert isinstance(booster, Booster)
    assert booster.price == Decimal(550)
    assert booster.every_weeks == Decimal(8)
    assert clinic.billing.network == "out-of-network"
    assert clinic.billing.superbill is True
    assert len(clinic.payment_plans) == 1
    assert clinic.payment_plans[0].months == 12
    assert clinic.payment_plans[0].apr == Decimal("0.0999")
    assert clinic.source is not None
    assert clinic.source.title == "Phone call with the front desk"
    assert clinic.source.published == dt.date(2026, 10, 1)
    assert clinic.source.checked == dt.date(2026, 11, 20)


def test_interactive_every_question(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "eastside.yaml"
    result = invoke(runner, "init", path, input=answers())
    assert_clean_exit(result)
    assert_interview_profile(path)
    assert invoke(runner, "check", path).exit_code == 0
    # A full year: 750×2 + 600×4 series, 300 intake, 12 × 50 membership, and boosters
    # every 8 weeks starting 8 weeks after the last series session (2027-01-18).
    data = estimate_json(runner, path)
    boosters = [e for e in data["events"] if e["item"] not in ("series", "fee")]
    assert boosters and all(Decimal(e["amount"]) == Decimal(550) for e in boosters)
    assert Decimal(data["total"]) == (
        Decimal(750 * 2 + 600 * 4 + 300 + 12 * 50) + Decimal(550) * len(boosters)
    )


@pytest.mark.parametrize(
    ("question", "bad"),
    [
        ("First price", ["abc", "-5", "600.123"]),
        ("Later price", ["six hundred"]),
        ("Sessions in the series", ["0", "2.5", "many", "1e9", "10001"]),
        ("Treatment", ["surgery"]),
        ("Superbill", ["perhaps"]),
        ("Checked", ["2026-13-45", "yesterday"]),
        ("Intake fee", ["$-300"]),
        ("Payment plan APR", ["lots"]),
        ("Sessions a week", ["0", "9"]),
        ("Weeks between boosters", ["0"]),
    ],
    ids=lambda v: v if isinstance(v, str) else "+".join(v),
)
def test_invalid_answer_is_asked_again(
    runner: CliRunner, tmp_path: Path, question: str, bad: list[str]
) -> None:
    path = tmp_path / "eastside.yaml"
    good = dict(INTERVIEW)[question]
    result = invoke(runner, "init", path, input=answers({question: [*bad, good]}))
    assert_clean_exit(result)
    assert result.stderr.count("try again") == len(bad), result.stderr
    assert_interview_profile(path)


@pytest.mark.parametrize("answered", [0, 3, len(INTERVIEW)], ids=["none", "three", "all-but-write"])
def test_input_that_ends_before_the_last_question_writes_nothing(
    runner: CliRunner, tmp_path: Path, answered: int
) -> None:
    # a pipe or file that runs out is bad input (exit 2), not "Aborted." (exit 1)
    path = tmp_path / "eastside.yaml"
    given = "".join(f"{answer}\n" for _, answer in INTERVIEW[:answered])
    result = invoke(runner, "init", path, input=given)
    assert result.exit_code == 2, result.stderr
    assert "standard input ended before this question was answered; nothing was written" in (
        result.stderr
    )
    assert "--no-input" in result.stderr
    assert not path.exists()


def test_refuses_to_overwrite_without_force(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "existing.yaml"
    path.write_text("# my own notes, not to be lost\n", encoding="utf-8")
    args = ("init", path, "--no-input", "--name", "X", "--first-price", "400")
    result = invoke(runner, *args)
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert result.stdout == ""
    assert str(path) in result.stderr and "--force" in result.stderr
    assert "Traceback" not in result.stderr
    assert path.read_text(encoding="utf-8") == "# my own notes, not to be lost\n"

    forced = invoke(runner, *args, "--force")
    assert_clean_exit(forced)
    assert ketacost.load_clinic(path).name == "X"


def test_refusal_comes_before_questions(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "existing.yaml"
    path.write_text("keep\n", encoding="utf-8")
    result = invoke(runner, "init", path, input=answers())
    assert result.exit_code == 2
    assert path.read_text(encoding="utf-8") == "keep\n"


@pytest.mark.parametrize(
    "args",
    [
        ("--first-price", "400"),  # no --name
        ("--name", "X"),  # no --first-price
        (),
    ],
    ids=["no-name", "no-first-price", "nothing"],
)
def test_no_input_missing_required(runner: CliRunner, tmp_path: Path, args: tuple[str, ...]):
    path = tmp_path / "x.yaml"
    result = invoke(runner, "init", path, "--no-input", *args)
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert result.stdout == ""
    assert "--no-input" in result.stderr
    assert "Traceback" not in result.stderr
    assert not path.exists()


@pytest.mark.parametrize(
    "args",
    [
        ("--first-price", "abc"),
        ("--first-price", "-400"),
        ("--sessions", "0"),
        ("--modality", "surgery"),
        ("--superbill", "maybe"),
        ("--checked", "2026-13-45"),
        ("--per-week", "0"),
        ("--per-week", "9"),
    ],
    ids=lambda v: "=".join(v),
)
def test_no_input_bad_flag(runner: CliRunner, tmp_path: Path, args: tuple[str, ...]) -> None:
    path = tmp_path / "x.yaml"
    base = ("--no-input", "--name", "X", "--first-price", "400")
    result = invoke(runner, "init", path, *base, *args)
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert result.stdout == ""
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert args[0] in result.stderr, result.stderr
    assert not path.exists()


@pytest.mark.parametrize(
    "name",
    [
        'The "Best" Clinic',
        "Back\\slash Clinic",
        "Colon: Hash # Clinic",
        "yes",
        "true",
        "Clínica Ñandú — 東京",
        "- dash first",
        "{braces} & [brackets] *star !bang",
    ],
)
def test_awkward_names_round_trip(runner: CliRunner, tmp_path: Path, name: str) -> None:
    path = tmp_path / "x.yaml"
    result = invoke(
        runner,
        "init",
        path,
        "--no-input",
        "--name",
        name,
        "--location",
        name,
        "--source",
        name,
        "--first-price",
        "400",
    )
    assert_clean_exit(result)
    clinic = ketacost.load_clinic(path)
    assert clinic.name == name
    assert clinic.location == name
    assert clinic.source is not None and clinic.source.title == name


def test_money_text_flags(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    result = invoke(
        runner,
        "init",
        path,
        "--no-input",
        "--name",
        "X",
        "--first-price",
        "$1,200.50",
        "--later-price",
        "999.99",
        "--intake-fee",
        "$300",
    )
    assert_clean_exit(result)
    clinic = ketacost.load_clinic(path)
    assert clinic.series.first_price == Decimal("1200.50")
    assert clinic.series.later_price == Decimal("999.99")
    assert [fee.amount for fee in clinic.fees] == [Decimal(300)]


# --- the call as a person makes it ------------------------------------------------------------


def test_first_line_says_enter_keeps_the_default_and_ctrl_c_quits(
    runner: CliRunner, tmp_path: Path
) -> None:
    result = invoke(runner, "init", tmp_path / "e.yaml", input=answers())
    first = result.stderr.splitlines()[0]
    assert "Enter keeps the [default]" in first and "Ctrl-C quits" in first


@pytest.mark.parametrize(
    ("question", "said", "check"),
    [
        ("Treatment", "IM", lambda c: c.modality == "im-injection"),
        ("Treatment", "iv infusion", lambda c: c.modality == "iv-infusion"),
        ("Sessions a week", "2 per week", lambda c: c.series.per_week == Decimal(2)),
        ("Sessions a week", "twice a week", lambda c: c.series.per_week == Decimal(2)),
        ("First price", "$750 each", lambda c: c.series.first_price == Decimal(750)),
        # 3 months = 3 × 52 / 12 = 13 weeks.
        ("Weeks between boosters", "every 3 months", lambda c: c.maintenance[0].every_weeks == 13),
        ("Weeks between boosters", "every 8 weeks", lambda c: c.maintenance[0].every_weeks == 8),
        ("Payment plan APR", "9.99", lambda c: c.payment_plans[0].apr == Decimal("0.0999")),
        ("Billing", "Out of network", lambda c: c.billing.network == "out-of-network"),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_answers_read_leniently(
    runner: CliRunner, tmp_path: Path, question: str, said: str, check
) -> None:
    path = tmp_path / "e.yaml"
    result = invoke(runner, "init", path, input=answers({question: [said]}))
    assert_clean_exit(result)
    assert "try again" not in result.stderr
    assert check(ketacost.load_clinic(path))


def test_esketamine_answers_lead_to_the_label_schedule(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "spravato.yaml"
    said = [
        "Nasal Spray Clinic",  # name
        "",  # location
        "Spravato",  # treatment
        "",  # sessions: 8
        "",  # a week: 2
        "900",  # all-in price per session
        "0",  # intake
        "0",  # membership
        "",  # billing
        "",  # superbill
        "0",  # no payment plan
        "",  # source
        "",  # published: unknown
        "2026-11-20",  # checked
        "",  # write: yes
    ]
    result = invoke(runner, "init", path, input="\n".join(said) + "\n")
    assert_clean_exit(result)
    assert "twice a week for 4 weeks, weekly for 4 weeks" in result.stderr
    data = estimate_json(runner, path)
    # 2027-01-04 for 12 months (365 days): 8 series sessions (the last on day 24), 4 weekly,
    # then every 2 weeks from day 24 + 6 × 7 = 66: days 66 + 14k < 365, k = 0..21, so 22.
    counts = {"series": 8, "esketamine": 4 + 22}
    kinds = [e["item"] for e in data["events"]]
    assert kinds.count("series") == counts["series"]
    assert kinds.count("esketamine") == counts["esketamine"]
    assert Decimal(data["total"]) == Decimal(900 * (8 + 4 + 22))


def test_summary_before_writing_and_no_leaves_nothing(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "e.yaml"
    text = answers().rsplit("\n", 2)[0] + "\nn\n"  # "n" at "Write ...?"
    result = invoke(runner, "init", path, input=text)
    assert result.exit_code == 0
    assert "Summary" in result.stderr
    assert "Series: 6 sessions, 2 a week, $750.00 × 2, then $600.00" in result.stderr
    assert "Boosters: $550.00 every 8 weeks" in result.stderr
    assert "Payment plan: 12 months at 9.99% APR" in result.stderr
    assert "Nothing written." in result.stderr
    assert not path.exists()


def test_schema_reference_works_when_the_file_is_shared(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    args = ("--no-input", "--name", "X", "--first-price", "400")
    assert_clean_exit(invoke(runner, "init", path, *args))
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=clinic.schema.json"
    assert str(tmp_path) not in path.read_text(encoding="utf-8")
    schema = json.loads((tmp_path / "clinic.schema.json").read_text(encoding="utf-8"))
    assert schema["$id"] == "clinic.schema.json"


def test_no_input_lists_every_missing_and_bad_flag_at_once(
    runner: CliRunner, tmp_path: Path
) -> None:
    path = tmp_path / "x.yaml"
    result = invoke(runner, "init", path, "--no-input", "--sessions", "0", "--modality", "surgery")
    assert result.exit_code == 2
    for flag in ("--name", "--first-price", "--sessions", "--modality"):
        assert f"{flag}: error" in result.stderr, result.stderr
    assert not path.exists()


def test_a_payment_plan_must_state_its_apr(runner, tmp_path: Path) -> None:
    # a 0% default would make the loan look free: with months, the APR has no default
    path = tmp_path / "c.yaml"
    base = ("init", path, "--no-input", "--name", "X", "--first-price", "400")
    result = invoke(runner, *base, "--payment-months", "12")
    assert (result.exit_code, path.exists()) == (2, False)
    assert "--payment-apr: error: is required with --no-input" in result.stderr
    done = invoke(runner, *base, "--payment-months", "12", "--payment-apr", "9.99")
    assert done.exit_code == 0, done.stderr
    assert "apr: 9.99%" in path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("flag", "answer", "said"),
    [
        ("--payment-apr", "0.0999", "0.0999 is ambiguous: 0.0999% or 9.99%?"),
        ("--payment-months", "1.5", "expected a whole number of months"),
        ("--payment-months", "18 weeks", "give the length in months"),
        ("--per-week", "2 weeks", "for every 2 weeks answer 0.5"),
        ("--first-price", "CAD 750", "CAD? the profile init writes is priced in US dollars"),
    ],
)
def test_answers_that_could_mean_something_else_are_asked_again(
    runner, tmp_path: Path, flag: str, answer: str, said: str
) -> None:
    path = tmp_path / "c.yaml"
    args = ["init", path, "--no-input", "--name", "X", "--first-price", "400"]
    if flag == "--payment-apr":
        args += ["--payment-months", "12"]
    if flag == "--first-price":
        args = args[:-2]
    result = invoke(runner, *args, flag, answer)
    assert (result.exit_code, path.exists()) == (2, False)
    assert said in result.stderr


def test_a_price_sheets_own_date_is_asked_and_a_day_to_come_is_refused(
    runner: CliRunner, tmp_path: Path
) -> None:
    # an old price sheet read tonight is as old as its own date, not tonight's: init asks
    # for it (unknown by default), and a year mistyped into the future is asked again
    path = tmp_path / "c.yaml"
    base = ("init", path, "--no-input", "--name", "X", "--first-price", "400")
    done = invoke(runner, *base, "--published", "2019-05-01", "--checked", "2026-11-20")
    assert done.exit_code == 0, done.stderr
    source = ketacost.load_clinic(path).source
    assert source is not None
    assert (source.title, source.published) == ("not given", dt.date(2019, 5, 1))
    path.unlink()
    ahead = (dt.date.today() + dt.timedelta(days=366)).isoformat()
    result = invoke(runner, *base, "--checked", ahead)
    assert (result.exit_code, path.exists()) == (2, False)
    assert "is after today: check the year" in result.stderr
