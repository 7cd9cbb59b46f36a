"""The HTML report: one self-contained page, the same tables, the sources, an inline SVG chart."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ketacost.cli import app
from ketacost.engine.estimate import estimate
from ketacost.files.load import load_clinic, load_plan
from ketacost.report.estimate import estimate_report
from ketacost.report.html import to_html
from ketacost.report.svg import axis_step

ROOT = Path(__file__).resolve().parent.parent
START = ["--start", "2027-01-04"]


class Page(HTMLParser):
    """Collect what a page holds: tags, their attributes, tables as rows of cell text."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.tables: list[list[list[str]]] = []
        self.text: list[str] = []
        self.svg_text: list[str] = []
        self._cell: list[str] | None = None
        self._in_svg = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "svg":
            self._in_svg += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append("".join(self._cell))
            self._cell = None
        elif tag == "svg":
            self._in_svg -= 1

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)
        if self._in_svg:
            self.svg_text.append(data)


def parse(text: str) -> Page:
    page = Page()
    page.feed(text)
    page.close()
    return page


def acme_html(tmp_path: Path, *extra: str) -> tuple[Page, str]:
    out = tmp_path / "report.html"
    result = CliRunner().invoke(
        app,
        [
            "estimate",
            "los-angeles-iv",
            "--plan",
            str(ROOT / "examples" / "plans" / "acme-ppo.yaml"),
            *START,
            "-o",
            str(out),
            *extra,
        ],
    )
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    return parse(text), text


def test_html_from_the_extension_holds_the_tables_sources_and_chart(tmp_path: Path) -> None:
    page, text = acme_html(tmp_path)
    assert text.startswith("<!DOCTYPE html>")
    tags = {tag for tag, _ in page.tags}
    assert "script" not in tags and "link" not in tags and "img" not in tags
    assert "iframe" not in tags and "object" not in tags
    # Nothing fetched: no src attributes, no url() or @import in the style sheet.
    assert all("src" not in attrs for _, attrs in page.tags)
    assert "url(" not in text and "@import" not in text
    # The same tables as the terminal: charges, scenarios, the plan terms, three cash flows.
    assert len(page.tables) == 6
    charges = page.tables[0]
    assert charges[0] == ["Item", "Qty", "Unit price", "Amount", "First", "Last"]
    totals = {row[0]: row[3] for row in charges[1:]}
    # Two sessions at $750, four at $600, four boosters at $600: 750 * 2 + 600 * 4 + 600 * 4.
    assert totals["Total over 12 months"] == "$6,300.00"
    scenarios = {row[0]: row[1:] for row in page.tables[1][1:]}
    assert scenarios["Net cost"][0] == "$6,300.00"  # Denied: all of it
    words = "".join(page.text)
    assert "Prices: Allure" in words and "checked 2026-11-28" in words  # the source
    assert "Horizon: 2027-01-04 to 2028-01-03" in words  # the assumptions
    assert "Plan: Acme PPO" in words
    assert "not medical or financial advice" in words


def test_html_chart_is_inline_svg_with_dollar_axis(tmp_path: Path) -> None:
    page, _ = acme_html(tmp_path)
    svgs = [attrs for tag, attrs in page.tags if tag == "svg"]
    assert len(svgs) == 1 and svgs[0]["xmlns"] == "http://www.w3.org/2000/svg"
    lines = [attrs for tag, attrs in page.tags if tag == "polyline"]
    assert len(lines) == 3  # one per scenario
    # The largest cumulative figure is $6,300: steps of $2,000 up to $8,000.
    assert page.svg_text.count("$8,000") == 1
    assert {"$0", "$2,000", "$4,000", "$6,000"} <= set(page.svg_text)
    assert "2027-01" in page.svg_text


def test_axis_steps_are_round_money() -> None:
    assert axis_step(Decimal("6300")) == Decimal(2000)  # 6300 / 5 = 1260 → 2000
    assert axis_step(Decimal("1158")) == Decimal("250")  # 1158 / 5 = 231.6 → 250
    assert axis_step(Decimal("46106.72")) == Decimal(10000)  # 9221 → 10000
    assert axis_step(Decimal(0)) == Decimal(1)


def test_format_html_to_stdout_escapes_user_text(tmp_path: Path, write_yaml) -> None:
    clinic = write_yaml(
        """
        name: "<b>Bold & Co</b>"
        series: {sessions: 2, price: 500}
        """
    )
    result = CliRunner().invoke(app, ["estimate", str(clinic), *START, "--format", "html"])
    assert result.exit_code == 0, result.output
    assert "<b>Bold" not in result.stdout
    assert "&lt;b&gt;Bold &amp; Co&lt;/b&gt;" in result.stdout
    page = parse(result.stdout)
    assert page.tables[0][-3][3] == "$1,000.00"  # 500 * 2


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


PRINT_WIDTH = 688  # an A4 page less its 14 mm margins, at 96 pixels per inch


def test_html_renders_in_headless_chromium_not_blank_not_cut_off(tmp_path: Path) -> None:
    browser = _chromium()
    if browser is None:
        pytest.skip("chromium is not installed (Debian: apt-get install chromium)")
    image = pytest.importorskip("PIL.Image")
    plan = load_plan(ROOT / "examples" / "plans" / "acme-ppo.yaml")
    result = estimate(load_clinic("los-angeles-iv"), plan, start=dt.date(2027, 1, 4))
    page = tmp_path / "report.html"
    page.write_text(to_html([estimate_report(result, claims=True)]), encoding="utf-8")
    shot = tmp_path / "shot.png"
    subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            f"--user-data-dir={tmp_path / 'profile'}",
            f"--window-size={PRINT_WIDTH},6000",
            f"--screenshot={shot}",
            page.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    picture = image.open(shot).convert("L")
    width, height = picture.size
    assert width == PRINT_WIDTH
    pixels = picture.load()
    dark = sum(1 for x in range(0, width, 4) for y in range(0, height, 4) if pixels[x, y] < 128)
    assert dark > 2000, "the page looks blank"
    # Nothing reaches the right edge: a table wider than the page would be cut there.
    edge = [pixels[x, y] for x in range(width - 8, width) for y in range(height)]
    assert min(edge) > 200, "something is cut off at the right edge of the page"


def test_compare_and_catalog_as_html(tmp_path: Path) -> None:
    out = tmp_path / "clinics.html"
    result = CliRunner().invoke(
        app, ["compare", "median-iv", "high-end-iv", *START, "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    page = parse(out.read_text(encoding="utf-8"))
    ranked = page.tables[0]
    assert (
        ranked[1][1]
        == "Median-priced IV ketamine clinic (ketaminetherapyfordepression.org reference)"
    )
    assert "$6,000.00" in ranked[2]  # high-end: 1000 * 6
    assert len([tag for tag, _ in page.tags if tag == "polyline"]) == 2  # one line per clinic
    listing = CliRunner().invoke(app, ["catalog", "--format", "html"])
    assert listing.exit_code == 0
    names = [row[0] for row in parse(listing.stdout).tables[0][1:]]
    assert "los-angeles-iv" in names


def test_cash_flow_bars_are_drawn_by_the_page_to_one_scale(tmp_path: Path) -> None:
    page, _ = acme_html(tmp_path)
    widths = [attrs["style"] for tag, attrs in page.tags if tag == "span" and attrs.get("style")]
    # First bar: January, $3,900 of the largest $6,300 (any scenario) on a 24-character
    # bar of eighths: 3900 / 6300 × 24 × 8 = 118.86 → 118 eighths, 118 / 192 = 61.5%.
    assert widths[0] == "width:61.5%"
    # The three scenarios all start at $3,900 in January: the same bar.
    january = [w for w in widths if w == "width:61.5%"]
    assert len(january) >= 3


def test_the_page_stands_on_its_own_link_date_version_and_facts_used() -> None:
    from ketacost import __version__
    from ketacost.report.document import Report

    plan = load_plan(ROOT / "examples" / "plans" / "acme-ppo.yaml")
    result = estimate(load_clinic("los-angeles-iv"), plan, start=dt.date(2027, 1, 4))
    report = estimate_report(result, claims=False)
    text = to_html([report], prepared=dt.date(2027, 1, 5))
    # The source is a link, its angle brackets gone.
    assert '<a href="http://flip.it/XeDJww">http://flip.it/XeDJww</a>' in text
    assert "&lt;http://flip.it" not in text
    assert f"Prepared 2027-01-05 with ketacost {__version__}, from the files" in text
    # Whatever facts the report document carries above its tables are on the page.
    facts = Report("Heading", ["From your person file: filing single, HSA self"], [])
    assert "<li>From your person file: filing single, HSA self</li>" in to_html([facts])


def test_an_address_in_hostile_text_is_escaped_and_only_http_links() -> None:
    from ketacost.report.document import Report

    text = to_html([Report('x" onload="y <https://e.com/a"b> <javascript:alert(1)>', [], [])])
    assert "<a " not in text  # a quote ends no address: nothing here is a link
    assert 'onload="y' not in text and "&lt;javascript:alert(1)&gt;" in text
    bare = to_html([Report("[x](http://example.org) <https://e.org/a?b=1&c=2>", [], [])])
    assert bare.count("<a ") == 1  # only the address in angle brackets, as sources are written
    assert '<a href="https://e.org/a?b=1&amp;c=2">' in bare


def test_status_page_names_the_ledger_not_the_machines_folders(tmp_path: Path) -> None:
    ledger = ROOT / "examples" / "ledger.yaml"
    assert ledger.is_absolute()
    result = CliRunner().invoke(app, ["status", str(ledger), "--as-of", "2027-03-01", "-f", "html"])
    assert result.exit_code == 0, result.output
    assert str(ROOT) not in result.stdout
    assert "Ledger ledger.yaml" in "".join(parse(result.stdout).text)


def test_status_width_draws_tables_that_wide() -> None:
    ledger = str(ROOT / "examples" / "ledger.yaml")
    result = CliRunner().invoke(app, ["status", ledger, "--as-of", "2027-03-01", "--width", "60"])
    assert result.exit_code == 0, result.output
    assert max(len(line) for line in result.stdout.splitlines()) == 60


def test_tax_year_page_names_the_ledger_not_the_machines_folders() -> None:
    ledger = ROOT / "examples" / "ledger.yaml"
    result = CliRunner().invoke(
        app, ["status", str(ledger), "--year", "2027", "--tax", "-f", "html"]
    )
    assert result.exit_code == 0, result.output
    assert str(ROOT) not in result.stdout and "ledger.yaml" in result.stdout


def test_a_person_file_outside_the_folder_is_named_without_the_machines_folders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    person = ROOT / "examples" / "ketacost.yaml"
    result = CliRunner().invoke(app, ["estimate", "--config", str(person), *START, "-f", "html"])
    assert result.exit_code == 0, result.output
    assert str(ROOT) not in result.stdout
    assert "From your person file" in "".join(parse(result.stdout).text)
