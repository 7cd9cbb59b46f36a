"""A drafted letter (who writes to whom, about what, its body), drawn as text, Markdown or HTML."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape
from typing import Literal

NOTICE = (
    "DRAFT to edit before you send it. Fill in every [placeholder] from your own papers and"
    " check each figure against your EOB and bills. This is not legal advice."
)


PLACEHOLDER = re.compile(r"\[[^\[\]]+\]")


BlockKind = Literal["heading", "para", "item"]


@dataclass
class Letter:
    """A letter: who writes to whom, about what, and the body in headings and paragraphs."""

    kind: str
    title: str
    sender: list[str]
    date: str
    recipient: list[str]
    subject: list[str]
    body: list[tuple[BlockKind, str]] = field(default_factory=list)
    signature: list[str] = field(default_factory=lambda: ["Sincerely,", "", "[your name]"])
    enclosures: list[str] = field(default_factory=list)

    def heading(self, text: str) -> None:
        self.body.append(("heading", text))

    def para(self, text: str) -> None:
        self.body.append(("para", text))

    def item(self, text: str) -> None:
        self.body.append(("item", text))

    @property
    def placeholders(self) -> list[str]:
        """Every ``[placeholder]`` left to fill, in order, each once."""
        found: list[str] = []
        for text in self._texts():
            for hit in PLACEHOLDER.findall(text):
                if hit not in found:
                    found.append(hit)
        return found

    def _texts(self) -> list[str]:
        return [
            *self.sender,
            self.date,
            *self.recipient,
            *self.subject,
            *(text for _, text in self.body),
            *self.signature,
            *self.enclosures,
        ]


SENDER = ["[your name]", "[your street address]", "[city, state ZIP]", "[phone or email]"]


def to_text(draft: Letter, width: int = 78) -> str:
    """Return the letter as plain text, wrapped at ``width``."""

    def wrap(text: str, indent: str = "") -> list[str]:
        return textwrap.wrap(
            text, width, initial_indent=indent, subsequent_indent=" " * len(indent)
        ) or [""]

    out = [*wrap(NOTICE), "", *draft.sender, "", draft.date, "", *draft.recipient, ""]
    out += [*draft.subject, ""]
    out.append("Dear Sir or Madam,")
    out.append("")
    for place, (kind, text) in enumerate(draft.body):
        if kind == "heading":
            out += [text, "-" * len(text)]
        elif kind == "item":
            out += wrap(text, "- ")
            following = draft.body[place + 1][0] if place + 1 < len(draft.body) else None
            if following == "item":
                continue
        else:
            out += wrap(text)
        out.append("")
    out += draft.signature
    if draft.enclosures:
        out += ["", "Enclosed:"]
        for enclosure in draft.enclosures:
            out += wrap(enclosure, "- ")
    return "\n".join(out).rstrip() + "\n"


def to_markdown(draft: Letter) -> str:
    """Return the letter as Markdown: the notice as a quote, headings, lists."""

    def lines(items: Sequence[str]) -> list[str]:
        return [item + "  " for item in items[:-1]] + list(items[-1:])

    out = [f"> **{NOTICE}**", "", f"# {draft.title}", ""]
    out += [*lines(draft.sender), "", draft.date, "", *lines(draft.recipient), ""]
    out += [*lines([f"**{draft.subject[0]}**", *draft.subject[1:]]), ""]
    out += ["Dear Sir or Madam,", ""]
    previous: str | None = None
    for kind, text in draft.body:
        if kind == "heading":
            out += [f"## {text}", ""]
        elif kind == "item":
            out.append(f"- {text}")
        else:
            if previous == "item":
                out.append("")
            out += [text, ""]
        previous = kind
    if previous == "item":
        out.append("")
    out += lines([line or "" for line in draft.signature])
    if draft.enclosures:
        out += ["", "Enclosed:", ""] + [f"- {e}" for e in draft.enclosures]
    return "\n".join(out).rstrip() + "\n"


def to_html(draft: Letter) -> str:
    """Return the letter as a page of HTML; placeholders are marked so none is missed."""

    def mark(text: str) -> str:
        parts = PLACEHOLDER.split(text)
        hits = PLACEHOLDER.findall(text)
        out = escape(parts[0])
        for hit, rest in zip(hits, parts[1:], strict=True):
            out += f"<mark>{escape(hit)}</mark>{escape(rest)}"
        return out

    def block(lines: Sequence[str]) -> str:
        return "<p>" + "<br>".join(mark(line) for line in lines) + "</p>"

    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(draft.title)}</title>",
        "<style>body{font-family:Georgia,serif;max-width:40em;margin:2em auto;padding:0 1em;"
        "line-height:1.45}.notice{border:2px solid #b00;padding:.5em 1em;color:#600}"
        "mark{background:#fe6}@media print{.notice{border-color:#000;color:#000}}</style>",
        "</head><body>",
        f'<p class="notice"><strong>{escape(NOTICE)}</strong></p>',
        block(draft.sender),
        f"<p>{escape(draft.date)}</p>",
        block(draft.recipient),
        block(draft.subject),
        "<p>Dear Sir or Madam,</p>",
    ]
    in_list = False
    for kind, text in draft.body:
        if kind == "item" and not in_list:
            out.append("<ul>")
            in_list = True
        if kind != "item" and in_list:
            out.append("</ul>")
            in_list = False
        if kind == "heading":
            out.append(f"<h2>{mark(text)}</h2>")
        elif kind == "item":
            out.append(f"<li>{mark(text)}</li>")
        else:
            out.append(f"<p>{mark(text)}</p>")
    if in_list:
        out.append("</ul>")
    out.append(block(draft.signature))
    if draft.enclosures:
        out.append("<p>Enclosed:</p><ul>")
        out += [f"<li>{mark(e)}</li>" for e in draft.enclosures]
        out.append("</ul>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def render(draft: Letter, format: str) -> str:
    """Return the letter in ``format``: md, txt or html."""
    if format == "html":
        return to_html(draft)
    if format == "md":
        return to_markdown(draft)
    return to_text(draft)
