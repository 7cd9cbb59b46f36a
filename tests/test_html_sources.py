"""The compare and catalog pages give each clinic's price source as a link, with its date.

docs/reports.md: "The clinic's price source is a link, with the date the prices
were published or checked." The estimate page has done so from the start
(tests/test_html.py); compare's does per clinic, catalog's per profile. Only an
http(s) address between angle brackets becomes a link; every other piece of a
source is shown as written. In a table, an address is never cut at a terminal.
"""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

from typer.testing import CliRunner

from ketacost.cli import app
from ketacost.report.document import Column, Report, Table
from ketacost.report.html import fits_a_phone
from ketacost.report.terminal import to_rich
from ketacost.report.widths import fit

ROOT = Path(__file__).resolve().parent.parent
PLAN = ROOT / "examples" / "plans" / "acme-ppo.yaml"
COMMON = ["--start", "2027-01-04", "--no-config", "--format", "html"]
ALLURE = "http://flip.it/XeDJww"
MEDIAN = "https://ketaminetherapyfordepression.org/?p=2707"


class Links(HTMLParser):
    """Collect each link's address and text, and the text of each note and table cell."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []  # (href, text)
        self.notes: list[str] = []
        self.cells: list[list[str]] = []  # one list a table row
        self._href: str | None = None
        self._text: list[str] = []
        self._note: list[str] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "a":
            self._href, self._text = found.get("href") or "", []
        elif tag == "p" and found.get("class") == "note":
            self._note = []
        elif tag == "tr":
            self.cells.append([])
        elif tag == "td":
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._href is not None:
            self.links.append((self._href, "".join(self._text)))
            self._href = None
        elif tag == "p" and self._note is not None:
            self.notes.append("".join(self._note))
            self._note = None
        elif tag == "td" and self._cell is not None:
            self.cells[-1].append("".join(self._cell))
            self._cell = None

    def handle_data(self, data: str) -> None:
        for part in (self._text if self._href is not None else None, self._note, self._cell):
            if part is not None:
                part.append(data)


def links_of(page: str) -> Links:
    parser = Links()
    parser.feed(page)
    parser.close()
    return parser


def run(*args: str) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, (result.stdout, result.stderr)
    assert result.stderr == ""
    return result.stdout


def test_the_compare_page_links_each_clinics_source_with_its_dates() -> None:
    page = links_of(run("compare", "los-angeles-iv", "median-iv", "--plan", str(PLAN), *COMMON))
    assert (ALLURE, ALLURE) in page.links
    assert (MEDIAN, MEDIAN) in page.links
    allure = next(n for n in page.notes if "Los Angeles IV ketamine clinic" in n)
    assert allure.startswith("Prices of Los Angeles IV ketamine clinic (Allure reference): Allure,")
    assert allure.endswith(f"{ALLURE} (published unknown, checked 2026-11-28)")
    median = next(n for n in page.notes if n.startswith("Prices of Median-priced IV"))
    assert median.endswith(f"{MEDIAN} (published unknown, checked 2026-11-28)")


def test_clinics_priced_from_one_source_share_its_line() -> None:
    page = links_of(
        run("compare", "los-angeles-iv", "high-end-iv", "median-iv", "--plan", str(PLAN), *COMMON)
    )
    # Both Allure clinics are on one line, in ranking order (high-end nets less: $5,082.00
    # expected against $5,313.60), and the page links the address once.
    assert [href for href, _ in page.links].count(ALLURE) == 1
    shared = next(n for n in page.notes if ALLURE in n)
    assert shared.startswith(
        "Prices of High-end IV ketamine clinic, Los Angeles (Allure reference);"
        " Los Angeles IV ketamine clinic (Allure reference): Allure,"
    )


def test_a_source_is_escaped_and_only_an_http_address_links(write_yaml) -> None:
    hostile = write_yaml(
        """\
        name: Hostile <b>Clinic</b> & Co
        source:
          title: <script>alert(1)</script> & "quotes"
          url: https://e.org/a?b=1&c=2
          published: 2026-10-01
          checked: 2026-11-20
        series:
          sessions: 6
          per_week: 2
          price: 500
        """,
        "hostile.yaml",
    )
    script = write_yaml(
        """\
        name: Script Clinic
        source:
          title: Phone call
          url: javascript:alert(1)
          checked: 2026-11-20
        series:
          sessions: 6
          per_week: 2
          price: 400
        """,
        "script.yaml",
    )
    quoted = write_yaml(
        """\
        name: Quoted Clinic
        source:
          title: Website
          url: https://e.org/"onmouseover="x
        series:
          sessions: 6
          per_week: 2
          price: 450
        """,
        "quoted.yaml",
    )
    text = run("compare", str(hostile), str(script), str(quoted), *COMMON)
    page = links_of(text)
    assert page.links == [("https://e.org/a?b=1&c=2", "https://e.org/a?b=1&c=2")]
    assert '<a href="https://e.org/a?b=1&amp;c=2">' in text
    assert "<script>" not in text and "<b>" not in text and 'onmouseover="' not in text
    assert (
        'Prices of Hostile <b>Clinic</b> & Co: <script>alert(1)</script> & "quotes"'
        " https://e.org/a?b=1&c=2 (published 2026-10-01, checked 2026-11-20)"
    ) in page.notes
    assert (
        "Prices of Script Clinic: Phone call <javascript:alert(1)>"
        " (published not given, checked 2026-11-20)"
    ) in page.notes
    assert (
        'Prices of Quoted Clinic: Website <https://e.org/"onmouseover="x>'
        " (published not given, checked never)"
    ) in page.notes


def test_a_clinic_with_no_source_says_so(write_yaml) -> None:
    bare = write_yaml("name: Bare\nseries:\n  sessions: 6\n  per_week: 2\n  price: 450\n")
    page = links_of(run("compare", str(bare), "median-iv", *COMMON))
    assert "Prices of Bare: no source given — confirm them with the clinic" in page.notes


def test_the_catalog_page_links_every_profiles_source_beside_its_date() -> None:
    listed = json.loads(run("catalog", "--format", "json"))
    page = links_of(run("catalog", "--format", "html"))
    rows = {cells[0]: cells for cells in page.cells if cells}
    addresses = [entry["source"]["url"] for entry in listed if entry["source"]["url"]]
    assert len(addresses) == len(listed)  # every bundled profile names its address
    for entry in listed:
        source = entry["source"]
        name, dated, shown = rows[entry["name"]][0], rows[entry["name"]][5], rows[entry["name"]][6]
        assert name == entry["name"]
        assert shown == f"{source['title']} {source['url']}"
        assert dated == f"{source['checked']} (checked)"  # no bundled source gives its date
        assert (source["url"], source["url"]) in page.links
    assert rows["los-angeles-iv"][6].endswith(ALLURE)


def test_an_address_in_a_table_is_never_cut_at_a_terminal() -> None:
    address = "<https://clinic.example/a/rather/long/path/to/the/price/list>"
    table = Table("Sources", [Column("Name", rigid=True), Column("Source", min_width=10, drop=1)])
    table.add("westside", f"Website {address}")
    # Forty columns: the address (61 characters) does not fit beside the name, so the
    # source column drops rather than show the address cut short.
    assert fit(table, 40).dropped == ("Source",)
    text = to_rich([Report("h", [], [table])], color=False, width=80)
    assert address in text


def test_an_address_does_not_widen_a_column_on_the_page() -> None:
    # The page wraps a link anywhere, so a long address alone does not stack a table
    # that otherwise fits a phone.
    table = Table("Sources", [Column("Name", rigid=True), Column("Source")])
    table.add("westside", "Website <https://clinic.example/" + "a" * 60 + ">")
    assert fits_a_phone(table)
