"""Help that guides: panels, placeholders, -V, completion, and commands built on demand."""

from __future__ import annotations

import inspect
import re

import pytest
from typer.testing import CliRunner

from ketacost import __version__
from ketacost.cli import COMMANDS, app, command_function
from ketacost.cli.settings import SHARED, settings_from


def help_text(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(app, [*args, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("command", ["estimate", "compare"])
def test_options_are_grouped_in_panels(runner: CliRunner, command: str) -> None:
    text = help_text(runner, command)
    panels = ["Plan", "What-if", "Whole picture", "Output"]
    places = [text.index(f"─ {panel} ─") for panel in panels]
    assert places == sorted(places)  # in this order
    assert text.index("--deductible") > text.index("─ What-if ─")
    assert text.index("--ride") > text.index("─ Whole picture ─")
    assert text.index("--format") > text.index("─ Output ─")


@pytest.mark.parametrize(
    ("flag", "placeholder"),
    [
        ("--start", "DATE"),
        ("--plan", "FILE"),
        ("--deductible", "AMOUNT"),
        ("--coinsurance", "P%"),
        ("--months", "N"),
        ("--output", "FILE"),
        ("--set", "KEY=VALUE"),
    ],
)
def test_placeholders_say_what_to_type(runner: CliRunner, flag: str, placeholder: str) -> None:
    lines = [line for line in help_text(runner, "estimate").splitlines() if f" {flag} " in line]
    assert lines and placeholder in lines[0].split(), lines
    assert "<bool>" not in help_text(runner, "estimate").split("--savings-program")[1][:30]


def test_short_version_flag(runner: CliRunner) -> None:
    for flag in ("-V", "--version"):
        result = runner.invoke(app, [flag])
        assert (result.exit_code, result.stdout) == (0, f"ketacost {__version__}\n")


def test_shell_completion_can_be_installed(runner: CliRunner) -> None:
    text = help_text(runner)
    assert "--install-completion" in text
    assert "--show-completion" in text


def test_check_says_stale_after_like_compare(runner: CliRunner) -> None:
    assert "--stale-after" in help_text(runner, "check")
    assert "--stale-after" in help_text(runner, "compare")
    assert "--stale " not in help_text(runner, "check")  # the older spelling still works, unlisted


def test_init_payment_plan_flags_are_not_called_plan(runner: CliRunner) -> None:
    text = help_text(runner, "init")
    assert "--payment-months" in text and "--payment-apr" in text
    assert "--plan-" not in text


@pytest.mark.parametrize("name", list(COMMANDS))
def test_the_listed_help_line_is_the_commands_docstring(name: str) -> None:
    function = command_function(name)
    assert (inspect.getdoc(function) or "").splitlines()[0] == COMMANDS[name][2]


def test_estimate_and_compare_share_one_declaration_of_the_flags() -> None:
    for name in ("estimate", "compare"):
        parameters = inspect.signature(command_function(name)).parameters
        assert set(SHARED) <= set(parameters)


def test_settings_are_typed_once_at_the_edge() -> None:
    settings = settings_from(
        {"start": "2027-01-04", "months": 24, "response_rate": "30%", "marginal_rate": "22%"}
    )
    assert settings.start.isoformat() == "2027-01-04"
    assert settings.months == 24
    assert settings.response is not None
    assert (str(settings.response.rate), settings.response.stop_after) == ("0.3", 3)
    assert settings.tax is not None and str(settings.tax.marginal_rate) == "0.22"
    assert settings.plan is None and settings.personal is None and settings.savings is None


@pytest.mark.parametrize(
    ("words", "expected"),
    [("ketacost est", "estimate"), ("ketacost estimate --ded", "--deductible")],
)
def test_completion_offers_commands_and_their_flags(
    runner: CliRunner, words: str, expected: str
) -> None:
    env = {
        "_KETACOST_COMPLETE": "complete_bash",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(words.split()) - 1),
    }
    result = runner.invoke(app, [], env=env, prog_name="ketacost")
    assert result.stdout.split() == [expected], result.output


def test_usage_errors_carry_no_value_error_prefix(runner: CliRunner) -> None:
    result = runner.invoke(app, ["estimate", "--format", "xml"])
    assert result.exit_code == 2
    assert "'xml' is not one of" in result.stderr
    assert "Value error" not in result.stderr


# Every help screen: the group's, each command's, and each of log's entry kinds.
HELP_SCREENS = [
    [],
    *([name] for name in COMMANDS),
    *(["log", "ledger.yaml", kind] for kind in ("visit", "claim", "eob", "received", "charge")),
]
TYPE_LABEL = re.compile(r"<[a-z][^<>]*>")  # Typer's <bool>, <str>, <path>, <list[str]>, <int range>


@pytest.mark.parametrize("args", HELP_SCREENS, ids=lambda args: " ".join(args) or "ketacost")
def test_help_shows_placeholders_not_python_types(runner: CliRunner, args: list[str]) -> None:
    result = runner.invoke(app, [*args, "--help"], env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert TYPE_LABEL.findall(text) == []
    usage = next(line for line in text.splitlines() if "Usage:" in line)
    assert re.findall(r"[\[{]([a-z][^\]}]*)[\]}]", usage) == []  # arguments named in capitals
    # On/off flags show no placeholder: the help text follows the flag's names.
    help_line = next(line for line in text.splitlines() if re.search(r"\s--help\s", line))
    assert re.search(r"--help\s+-h\s+Show this message and exit", help_line), help_line


def test_choices_show_as_choices_and_flags_as_nothing(runner: CliRunner) -> None:
    schema = runner.invoke(app, ["schema", "--help"], env={"COLUMNS": "100"}).stdout
    assert re.search(r"KIND\s+clinic\|plan\|ledger\|person\s+Which profile format", schema)
    init = runner.invoke(app, ["init", "--help"], env={"COLUMNS": "100"}).stdout
    assert re.search(r"--force\s+Overwrite an existing file", init)
    assert re.search(r"--first-price\s+AMOUNT\s+Price of a first session", init)
    status = runner.invoke(app, ["status", "--help"], env={"COLUMNS": "100"}).stdout
    assert re.search(r"--fail-on\s+overdue\|unfiled\|deadline-within=DAYS\s+Exit 1", status)
