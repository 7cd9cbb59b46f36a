"""Citations of the project's own docs cannot rot: every docs/ path and link points at something.

The package source, the tests, the tools, the README and the docs cite pages as
``docs/<page>.md``; the README and the docs also link to each other (and to
examples) with relative Markdown links, some with a ``#heading`` anchor. Each
must name a file in the repository, and each anchor a heading of that file.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"

# Pages the index lists that may not be written yet. A citation of one, or a link to it, is
# checked once the page exists; until then test_every_listed_page_is_written is skipped and
# names what is missing.
TO_BE_WRITTEN = frozenset(
    {
        "architecture.md",
        "assumptions.md",
        "calendar.md",
        "deadlines.md",
        "errors.md",
        "insurance-rules.md",
        "letters.md",
        "person-file.md",
        "records.md",
        "reports.md",
        "tax.md",
    }
)

CITATION = re.compile(r"\bdocs/[\w-]+(?:/[\w-]+)*\.[a-z]+(?:#[\w-]+)?")
LINK = re.compile(r"\]\(([^)\s]+)\)")


def cited(text: str) -> list[str]:
    """Return every ``docs/...`` path ``text`` cites, with its anchor if it has one."""
    return CITATION.findall(text)


def links(text: str) -> list[str]:
    """Return the targets of the relative Markdown links in ``text``."""
    return [
        target
        for target in LINK.findall(text)
        if not re.match(r"[a-z]+:", target) and not target.startswith("#")
    ]


def slug(heading: str) -> str:
    """Return the anchor a Markdown heading gets: lower case, punctuation dropped, hyphens."""
    text = heading.strip().lower()
    text = "".join(
        c for c in text if c in " -_" or unicodedata.category(c)[0] in "LN"
    )  # letters and digits
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    """Return the anchors of the headings of the Markdown file at ``path``."""
    found = set()
    fenced = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced and (match := re.match(r"#{1,6} (.+)", line)):
            found.add(slug(match[1]))
    return found


def _problem(base: Path, target: str) -> str | None:
    """Return what is wrong with ``target`` (relative to ``base``), or None."""
    name, _, anchor = target.partition("#")
    path = (base / name).resolve()
    if not path.exists():
        if path.parent == DOCS.resolve() and path.name in TO_BE_WRITTEN:
            return None
        return f"{target}: no such file"
    if anchor and path.suffix == ".md" and anchor not in anchors(path):
        return f"{target}: no heading with the anchor #{anchor}"
    return None


def _sources() -> list[Path]:
    found = [
        *ROOT.glob("ketacost/**/*.py"),
        *ROOT.glob("tests/**/*.py"),
        *ROOT.glob("tools/*.py"),
        *ROOT.glob("benchmarks/*.py"),
        *ROOT.glob("examples/**/*"),
        ROOT / "README.md",
        *DOCS.glob("*.md"),
    ]
    return sorted(path for path in found if path.is_file())


def test_every_cited_docs_path_exists() -> None:
    problems = []
    count = 0
    for source in _sources():
        try:
            text = source.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        for citation in cited(text):
            count += 1
            if problem := _problem(ROOT, citation):
                problems.append(f"{source.relative_to(ROOT)}: {problem}")
    assert count >= 20  # the README and the docs index cite the pages
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    "page", [ROOT / "README.md", *sorted(DOCS.glob("*.md"))], ids=lambda p: p.name
)
def test_every_relative_link_leads_somewhere(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    problems = [p for target in links(text) if (p := _problem(page.parent, target))]
    assert not problems, f"{page.relative_to(ROOT)}:\n" + "\n".join(problems)


def test_the_index_links_every_page() -> None:
    index = (DOCS / "README.md").read_text(encoding="utf-8")
    linked = {target.partition("#")[0] for target in links(index)}
    pages = {path.name for path in DOCS.glob("*.md")} - {"README.md"}
    assert pages <= linked, f"pages the index does not link: {sorted(pages - linked)}"


def test_every_listed_page_is_written() -> None:
    missing = sorted(name for name in TO_BE_WRITTEN if not (DOCS / name).exists())
    if missing:
        pytest.skip(f"docs pages not written yet: {', '.join(missing)}")
    index = (DOCS / "README.md").read_text(encoding="utf-8")
    assert all(f"]({name})" in index for name in TO_BE_WRITTEN)


def test_a_page_still_to_be_written_is_only_excused_in_docs(tmp_path: Path) -> None:
    assert _problem(DOCS, "no-such-page.md") == "no-such-page.md: no such file"
    assert _problem(tmp_path, "tax.md") == "tax.md: no such file"  # not the docs folder


def test_the_checks_can_fail(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("# Exit codes\n\n## What `--as-of` means\n", encoding="utf-8")
    assert anchors(page) == {"exit-codes", "what---as-of-means"}
    assert _problem(tmp_path, "page.md#exit-codes") is None
    assert (
        _problem(tmp_path, "page.md#exit-code")
        == "page.md#exit-code: no heading with the anchor #exit-code"
    )
    assert _problem(tmp_path, "gone.md") == "gone.md: no such file"
    missing = "see " + "docs" + "/no-such-page.md#x and docs" + "/api.md."
    assert cited(missing) == ["docs" + "/no-such-page.md#x", "docs" + "/api.md"]
    assert links("[a](b.md#c) [d](https://e.org) [f](#g) [h](../i.yaml)") == ["b.md#c", "../i.yaml"]


def split_cells(text: str) -> list[str]:
    """Return the code spans of table rows in ``text`` that hold an unescaped ``|``.

    Inside a table a ``|`` ends the cell even within backticks: write ``\\|``.
    """
    found = []
    fenced = False
    for line in text.splitlines():
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced and line.startswith("|"):
            found += [
                code for code in re.findall(r"`[^`]*`", line) if re.search(r"(?<!\\)\|", code)
            ]
    return found


@pytest.mark.parametrize(
    "page", [ROOT / "README.md", *sorted(DOCS.glob("*.md"))], ids=lambda p: p.name
)
def test_no_table_cell_is_split_by_a_pipe(page: Path) -> None:
    assert split_cells(page.read_text(encoding="utf-8")) == []


def test_a_split_cell_is_found() -> None:
    assert split_cells("| `--network in|out` | x |\n| `a\\|b` |\n`c|d`\n") == ["`--network in|out`"]
