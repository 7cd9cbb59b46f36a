"""Hostile text in names: printed as written in every format, never interpreted.

Names, labels, plan and scenario names reach Rich, Markdown, CSV and charts.
Square brackets are Rich markup, ``[x](url)`` and ``<b>`` are Markdown, ``=``
starts a spreadsheet formula, ``$...$`` is a matplotlib formula: none of them
may act, and none may crash the report (docs/commands.md: exit 3 is for bugs only).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ketacost import estimate, load_clinic, load_plan
from ketacost.cli import app
from ketacost.report.comparison import compare_report
from ketacost.report.estimate import estimate_report
from ketacost.report.markdown import to_markdown
from ketacost.report.terminal import to_rich

START = ("--start", "2027-01-04")

CLINIC = """\
name: "Intake [/] [link=http://example.org]click[/link]"
series:
  sessions: 2
  price: 400
fees:
  - name: "Intake [/]"
    amount: 100
  - name: "Consult [v2] *bold* <b>x</b>"
    amount: 50
maintenance:
  - kind: booster
    every_weeks: 12
    label: "[bold]Boost[/bold] [x](http://example.org)"
"""

PLAN = """\
kind: plan
name: "Acme [red]PPO[/red]"
out_of_network:
  deductible: 100
  coinsurance: 40%
  allowed: 100%
scenarios:
  - name: "Denied [/]"
    covered: false
    probability: 0.5
  - name: "$5 [x] $6"
    probability: 0.5
"""

NAMES = (
    "Intake [/] [link=http://example.org]click[/link]",
    "Intake [/]",
    "Consult [v2] *bold* <b>x</b>",
    "[bold]Boost[/bold] [x](http://example.org)",
    "Acme [red]PPO[/red]",
    "Denied [/]",
    "$5 [x] $6",
)


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    clinic, plan = tmp_path / "clinic.yaml", tmp_path / "plan.yaml"
    clinic.write_text(CLINIC, encoding="utf-8")
    plan.write_text(PLAN, encoding="utf-8")
    return clinic, plan


def run(*args: str | Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


def test_table_prints_markup_as_written(files: tuple[Path, Path]) -> None:
    clinic, plan = files
    code, out, err = run("estimate", clinic, "--plan", plan, *START, "--claims")
    assert code == 0, err
    flat = " ".join(out.split())
    for name in NAMES:
        assert " ".join(name.split()) in flat, name


def test_compare_prints_markup_as_written(files: tuple[Path, Path]) -> None:
    clinic, plan = files
    code, out, err = run("compare", clinic, "--plan", plan, *START, "--width", "300")
    assert code == 0, err
    assert "Denied [/]" in out and "$5 [x] $6" in out and "[link=http://example.org]" in out


def test_no_live_hyperlink_or_style_in_a_colour_terminal(files: tuple[Path, Path]) -> None:
    clinic, plan = files
    result = estimate(load_clinic(clinic), load_plan(plan), start=dt.date(2027, 1, 4))
    text = to_rich([estimate_report(result, claims=True)], color=True, width=300)
    assert "\x1b]8;" not in text  # the OSC 8 hyperlink sequence
    assert "[link=http://example.org]click[/link]" in text
    compared = to_rich([compare_report([result], "net", 180)], color=True, width=300)
    assert "\x1b]8;" not in compared and "[/link]" in compared


def test_markdown_shows_names_literally(files: tuple[Path, Path]) -> None:
    clinic, plan = files
    result = estimate(load_clinic(clinic), load_plan(plan), start=dt.date(2027, 1, 4))
    text = to_markdown([estimate_report(result)])
    assert r"\[x\](http://example.org)" in text  # not a link
    assert r"\<b\>x\</b\>" in text  # not HTML
    assert r"\*bold\*" in text  # not emphasis
    assert "](http" not in text.replace(r"\](http", "")


def test_chart_draws_dollar_signs_as_text(files: tuple[Path, Path], tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    from matplotlib.text import Text

    from ketacost.report.chart import _literal

    shown, is_formula = Text()._preprocess_math(_literal("$5 [x] $6: net $690.00"))
    assert (shown, is_formula) == ("$5 [x] $6: net $690.00", False)
    clinic, plan = files
    code, _, err = run(
        "estimate", clinic, "--plan", plan, *START, "-f", "json", "--chart", tmp_path / "c.svg"
    )
    assert code == 0, err
    assert (tmp_path / "c.svg").stat().st_size > 0
