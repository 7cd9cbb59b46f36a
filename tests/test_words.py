"""Words a person reads: one spelling, money as money, jargon explained, hints to the right list."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

from typer.testing import CliRunner

from ketacost.cli import app

ROOT = Path(__file__).resolve().parent.parent
PLAN = str(ROOT / "examples" / "plans" / "acme-ppo.yaml")
START = ["--start", "2027-01-04"]


def test_us_spelling_program_in_everything_a_person_reads(runner: CliRunner) -> None:
    # The ledger still accepts `from: programme` (older files), as an input value in quotes;
    # nothing a person reads says it.
    for path in [*(ROOT / "ketacost").rglob("*.py"), *(ROOT / "pricing").glob("*.yaml")]:
        for line in path.read_text(encoding="utf-8").splitlines():
            if "programme" in line.lower():
                assert '"programme"' in line, (path, line)
    help_text = runner.invoke(app, ["estimate", "--help"], env={"COLUMNS": "200"}).stdout
    assert "savings program " in help_text and "programme" not in help_text
    refused = runner.invoke(app, ["estimate", "esketamine-cash", "--savings-program"])
    assert refused.exit_code == 2
    assert "savings program needs commercial insurance" in refused.stderr


def test_money_received_is_written_as_money(runner: CliRunner, tmp_path: Path) -> None:
    ledger = tmp_path / "ledger.yaml"
    shutil.copy(ROOT / "examples" / "ledger.yaml", ledger)
    (tmp_path / "plans").mkdir()
    shutil.copy(PLAN, tmp_path / "plans" / "acme-ppo.yaml")
    result = runner.invoke(
        app, ["log", str(ledger), "received", "252", "--for", "Session 4", "--date", "2027-03-05"]
    )
    assert result.exit_code == 0, result.output
    assert f"logged in {ledger}: $252.00 received on 2027-03-05" in result.stderr


def test_paid_to_the_clinic_leaves_out_the_lenders_interest(runner: CliRunner) -> None:
    flags = ["estimate", *START, "--finance", "12@9.99%", "--plan", PLAN]
    data = json.loads(runner.invoke(app, [*flags, "-f", "json"]).stdout)
    interest = Decimal(data["financing"]["total_interest"])
    assert interest > 0
    table = runner.invoke(app, [*flags, "--width", "100"]).stdout
    rows = {line[:30].strip(): line[30:].split() for line in table.splitlines()}
    # The clinic gets its prices: 750 * 2 + 600 * 4 + 600 * 4 boosters = 6,300.
    assert rows["Paid to the clinic"] == ["$6,300.00"] * 3
    assert rows["Interest paid to the lender"] == [f"${interest:,}"] * 3
    assert rows["Paid in all"] == [f"${Decimal(6300) + interest:,}"] * 3
    # Denied: the whole of both is the net cost.
    assert rows["Net cost"][0] == f"${Decimal(6300) + interest:,}"


def test_jargon_is_explained_where_it_first_appears(runner: CliRunner) -> None:
    claims = runner.invoke(app, ["estimate", *START, "--plan", PLAN, "--claims", "-f", "md"])
    text = " ".join(claims.stdout.split())
    assert "Plan's part: what the plan owes on the claim" in text.replace("\\", "")
    assert "OOP left: what remains of the deductible and of the out-of-pocket (OOP) cap" in text
    compare = runner.invoke(
        app, ["compare", "median-iv", "high-end-iv", *START, "--plan", PLAN, "-f", "md"]
    )
    assert "Accumulators (do in- and out-of-network claims count toward one deductible" in (
        " ".join(compare.stdout.split())
    )


def test_a_missing_plan_file_does_not_point_to_the_catalog(runner: CliRunner) -> None:
    plan = runner.invoke(app, ["estimate", "--plan", "no-such-plan.yaml"])
    assert plan.exit_code == 2
    assert "no such file" in plan.stderr and "catalog" not in plan.stderr
    ledger = runner.invoke(app, ["status", "no-such-ledger.yaml"])
    assert ledger.exit_code == 2 and "catalog" not in ledger.stderr
    clinic = runner.invoke(app, ["estimate", "no-such-clinic.yaml"])
    assert "`ketacost catalog` lists bundled profiles" in clinic.stderr


def test_the_claims_table_keeps_the_deductible_at_80_columns(runner: CliRunner) -> None:
    out = runner.invoke(app, ["estimate", *START, "--plan", PLAN, "--claims", "--width", "80"])
    claims = out.stdout[out.stdout.index("Claims — As written") :]
    header = claims.splitlines()[1].split()
    assert "Deductible" in header and "Reimbursed" in header
    # Session 1 under 70% allowed: 750 * 0.7 = 525, all of it to the deductible.
    session = next(line for line in claims.splitlines() if "Session 1" in line).split()
    assert session[header.index("Deductible") + 1] == "$525.00"  # + 1: "Session 1" is 2 words


def test_a_source_address_is_never_split_across_lines(runner: CliRunner) -> None:
    address = (
        "https://www.vice.com/amp/en/article/pkpp3k/"
        "psychedelic-telemedicine-has-arrived-what-could-possibly-go-wrong"
    )
    for width in ("40", "80", "100"):
        out = runner.invoke(app, ["estimate", "at-home-program", *START, "--width", width])
        lines = out.stdout.splitlines()
        assert f"<{address}>" in lines, width  # a line of its own, whole
        words = out.stdout.split()
        assert "(published" in words and "sessions)" in words  # the words around it remain


def test_on_a_terminal_a_source_address_is_a_hyperlink() -> None:
    from ketacost.report.document import Report
    from ketacost.report.terminal import to_rich

    report = Report("Clinic", ["Prices: an article <https://example.org/prices> (checked)"], [])
    shown = to_rich([report], color=True, width=80)
    assert "\x1b]8;" in shown and "https://example.org/prices\x1b\\" in shown  # OSC 8
    plain = to_rich([report], color=False, width=80)
    assert "\x1b" not in plain


def test_markdown_writes_a_source_as_a_link_and_escapes_the_rest() -> None:
    from ketacost.report.document import Report
    from ketacost.report.markdown import to_markdown

    text = to_markdown([Report("H", ["See <https://example.org/a_b> *now* [x](y)"], [])])
    assert "- See <https://example.org/a_b> \\*now\\* \\[x\\](y)" in text
    hostile = to_markdown([Report("H", ["<https://e.org/a|b> <script>"], [])])
    assert "<script>" not in hostile and "|b" not in hostile.replace("\\|b", "")


def test_a_details_line_keeps_its_indent() -> None:
    from ketacost.report.document import Report
    from ketacost.report.terminal import to_rich

    shown = to_rich([Report("H", ["Assumed:", "  – months: 12"], [])], color=False, width=80)
    assert "\n  – months: 12\n" in shown
