"""The HTML reports in a real browser: nothing overflows on a 390 px phone or an A4 page.

Each page is laid out by headless Chromium inside a frame of the width under
test (a browser window cannot be made narrower than 500 px). A script added to
the test's own copy of the page (the report itself has none) lists every
element past the frame's right edge, every cell whose content is clipped and
every word broken across two lines ("2027-/01-04", "S/es/si/o/n/s"; prose may
break after a hyphen); the test
fails unless that list is empty. The A4 page is the print layout: the page's
print rules, at the width of A4 less the page's 14 mm margins.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
from html import escape
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ketacost.cli import app

ROOT = Path(__file__).resolve().parent.parent
PLAN = str(ROOT / "examples" / "plans" / "acme-ppo.yaml")
LEDGER = ROOT / "examples" / "ledger.yaml"
PHONE = 390  # an iPhone 12 to 15's width in CSS pixels
TABLET = 768  # an iPad held upright
A4 = 688  # (210 mm - 2 * 14 mm) / 25.4 mm * 96 px

MEASURE = """<script>
(function () {
  var width = document.documentElement.clientWidth, problems = [];
  if (document.documentElement.scrollWidth > width)
    problems.push('the page scrolls sideways: ' + document.documentElement.scrollWidth);
  var all = document.body.querySelectorAll('*');
  for (var i = 0; i < all.length; i++) {
    var el = all[i], box = el.getBoundingClientRect();
    var what = '<' + el.tagName.toLowerCase() + '> ' + (el.textContent || '').trim().slice(0, 60);
    if (box.width && (box.right > width + 0.5 || box.left < -0.5))
      problems.push('past the edge: ' + what);
    if (/^T[DH]$/.test(el.tagName) && el.scrollWidth > el.clientWidth + 1)
      problems.push('clipped: ' + what);
  }
  var blocks = document.body.querySelectorAll('td, th, li, h1, h2, p');
  for (var j = 0; j < blocks.length; j++) {
    var walker = document.createTreeWalker(blocks[j], NodeFilter.SHOW_TEXT);
    for (var node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.parentElement.closest('a')) continue;  // a long address may wrap
      var words = /\\S+/g, m;
      while ((m = words.exec(node.data))) {
        var range = document.createRange(), lines = {};
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        var rects = range.getClientRects();
        for (var k = 0; k < rects.length; k++)
          if (rects[k].width > 0) lines[Math.round(rects[k].bottom)] = 1;
        // Prose may break after a hyphen ("out-of-/pocket"); a figure or a date never.
        var prose = /-/.test(m[0]) && !/\\d/.test(m[0]);
        if (Object.keys(lines).length > 1 && !prose)
          problems.push('a word broken across lines: ' + m[0]);
      }
    }
  }
  parent.document.getElementById('problems').textContent = JSON.stringify(problems);
})();
</script>"""


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


BROWSER = _chromium()
needs_browser = pytest.mark.skipif(
    BROWSER is None, reason="chromium is not installed (Debian: apt-get install chromium)"
)


def _browser(tmp_path: Path, *arguments: str) -> str:
    assert BROWSER is not None
    done = subprocess.run(
        [
            BROWSER,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--no-first-run",
            "--hide-scrollbars",
            f"--user-data-dir={tmp_path / 'profile'}",
            *arguments,
        ],
        check=True,
        capture_output=True,
        text=True,
        timeout=180,
    )
    return done.stdout


def as_printed(page: str) -> str:
    """Return the page with its print rules in force and its screen-only rules off."""
    return page.replace("@media print", "@media all").replace(
        "@media screen and", "@media print and"
    )


def harness(page: str, width: int) -> str:
    """Return a page that lays ``page`` out in a frame ``width`` px wide and measures it."""
    measured = page.replace("</body>", MEASURE + "</body>")
    return (
        '<!DOCTYPE html><html><body style="margin:0">'
        f'<iframe style="width:{width}px;height:30000px;border:0"'
        f' srcdoc="{escape(measured, quote=True)}"></iframe>'
        '<pre id="problems">not measured</pre></body></html>'
    )


def layout_problems(tmp_path: Path, page: str, width: int, name: str) -> list[str]:
    """Return what overflows when ``page`` is laid out ``width`` px wide (empty: nothing)."""
    path = tmp_path / f"{name}-{width}.html"
    path.write_text(harness(page, width), encoding="utf-8")
    dom = _browser(tmp_path, "--window-size=1000,2000", "--dump-dom", path.as_uri())
    found = re.search(r'<pre id="problems">(.*?)</pre>', dom, re.DOTALL)
    assert found is not None, dom[-2000:]
    text = found.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    assert text != "not measured", "the measuring script did not run"
    problems: list[str] = json.loads(text)
    return problems


def _html(tmp_path: Path, name: str, *command: str) -> str:
    out = tmp_path / f"{name}.html"
    result = CliRunner().invoke(app, [*command, "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out.read_text(encoding="utf-8")


def reports(tmp_path: Path) -> dict[str, str]:
    """Return the three reports a person sends on: an estimate, a comparison, a status."""
    start = ["--start", "2027-01-04"]
    return {
        "estimate": _html(
            tmp_path, "estimate", "estimate", "los-angeles-iv", "--plan", PLAN, *start, "--claims"
        ),
        "compare": _html(
            tmp_path,
            "compare",
            "compare",
            "median-iv",
            "high-end-iv",
            "los-angeles-iv",
            "--plan",
            PLAN,
            *start,
        ),
        "status": _html(tmp_path, "status", "status", str(LEDGER), "--as-of", "2027-03-01"),
    }


@needs_browser
def test_the_measure_sees_a_table_too_wide_and_a_broken_date(tmp_path: Path) -> None:
    # The test can fail: a page with a fixed 600 px table and a date in a 40 px cell.
    page = (
        "<!DOCTYPE html><html><head></head><body>"
        '<table style="width:600px"><tr><td>wide</td></tr></table>'
        '<p style="width:40px">2027-01-04</p></body></html>'
    )
    problems = layout_problems(tmp_path, page, PHONE, "bad")
    assert any(p.startswith("past the edge: <table>") for p in problems), problems
    assert "a word broken across lines: 2027-01-04" in problems


@needs_browser
@pytest.mark.slow
def test_every_report_fits_a_phone_with_no_sideways_scroll(tmp_path: Path) -> None:
    for name, page in reports(tmp_path).items():
        for width in (PHONE, TABLET):
            assert layout_problems(tmp_path, page, width, name) == [], (name, width)


@needs_browser
@pytest.mark.slow
def test_every_report_fits_an_a4_page_in_print(tmp_path: Path) -> None:
    for name, page in reports(tmp_path).items():
        assert layout_problems(tmp_path, as_printed(page), A4, name) == [], name


@needs_browser
@pytest.mark.slow
def test_every_report_prints_to_a_pdf(tmp_path: Path) -> None:
    for name, page in reports(tmp_path).items():
        source = tmp_path / f"{name}.html"
        source.write_text(page, encoding="utf-8")
        pdf = tmp_path / f"{name}.pdf"
        _browser(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", source.as_uri())
        data = pdf.read_bytes()
        assert data.startswith(b"%PDF")
        # A4 is 595 x 842 points.
        assert re.search(rb"/MediaBox\s*\[\s*0 0 59[45][.\d]* 84[12][.\d]*", data), name


def test_a_phone_stacks_only_the_tables_that_do_not_fit(tmp_path: Path) -> None:
    pages = reports(tmp_path)
    # The status page's claims table (eight columns) is stacked on a phone; its
    # three-column counters table keeps its columns.
    status = pages["status"]
    tables = re.findall(r"<h2>(.*?)</h2>\n<table( class=\"[^\"]*\")?>", status)
    classes = {re.sub("<[^>]+>", "", title): attribute for title, attribute in tables}
    assert "stack" in classes["Claims"]
    assert "stack" not in classes["Counters, plan year from 2027-01-01"]
    # A stacked cell carries its column's header, shown beside it on a phone.
    assert '<td class="num" data-label="Paid">$750.00</td>' in status
    assert dt.date.today().isoformat() in status  # the date the page was prepared
