"""Problems found in what a user gave us, reported as values with their place."""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_SHOWN = 50  # problems printed per run; the rest are counted
MAX_QUOTE = 40  # characters of a quoted value shown in a message
MAX_LINE = 120  # characters of a source line shown around the caret
EXIT_OUTPUT = 4  # the output could not be written (disk full, file too large, stdout closed)

# Characters that act on a terminal or reorder what it shows, were they printed raw: the C0
# and C1 controls and DEL (ESC starts the OSC and CSI sequences that retitle a window, set the
# clipboard or redraw the screen), the bidirectional controls (U+202E shows text backwards)
# and the line and paragraph separators. See docs/errors.md.
_UNPRINTABLE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)


def printable(text: str, *, keep_tabs: bool = False) -> str:
    """Return ``text`` with every control and bidirectional character written as ``\\uXXXX``.

    Everything echoed back to a person (a path, a flag's value, a label, a line of
    their file) goes through here, so no name or value can act on their terminal.
    """

    def escape(found: re.Match[str]) -> str:
        character = found.group()
        return character if keep_tabs and character == "\t" else f"\\u{ord(character):04x}"

    return _UNPRINTABLE.sub(escape, text)


def quoted(value: object, limit: int = MAX_QUOTE) -> str:
    """Return ``repr(value)``, shortened in the middle when long: a huge value is not echoed."""
    text = repr(value)
    if len(text) <= limit:
        return text
    keep = (limit - 1) // 2
    return f"{text[:keep]}…{text[-keep:]} ({len(text):,} characters)"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, with where it is and how to fix it."""

    path: str
    message: str
    line: int | None = None  # 1-based
    column: int | None = None  # 1-based
    source_line: str | None = None
    width: int = 1  # how many characters the caret underlines
    hint: str | None = None
    severity: str = "error"

    def render(self) -> str:
        """Return the hledger-style text: ``path:line:col: error: message``, excerpt, hint."""
        where = printable(self.path)
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        message = printable(self.message)
        if len(message) > 4 * MAX_LINE:  # a last guard; messages quote values via quoted()
            message = message[: 4 * MAX_LINE] + "…"
        lines = [f"{where}: {self.severity}: {message}"]
        if self.source_line is not None and self.line is not None:
            gutter = f"{self.line:>4} | "
            source, column = _window(self.source_line.rstrip("\n"), (self.column or 1) - 1)
            column = len(printable(source[: max(column, 0)], keep_tabs=True))  # after escapes
            lines.append(gutter + printable(source, keep_tabs=True))
            width = min(max(self.width, 1), MAX_LINE)
            lines.append(" " * (len(gutter) + column) + "^" * width)
        if self.hint:
            lines.append(f"  hint: {printable(self.hint)}")
        return "\n".join(lines)


def _window(line: str, column: int) -> tuple[str, int]:
    """Return at most ``MAX_LINE`` characters of ``line`` around ``column``, and its new column."""
    if len(line) <= MAX_LINE:
        return line, column
    begin = max(0, min(column - MAX_LINE // 4, len(line) - MAX_LINE))
    piece = line[begin : begin + MAX_LINE]
    prefix = "…" if begin > 0 else ""
    suffix = "…" if begin + MAX_LINE < len(line) else ""
    return prefix + piece + suffix, column - begin + len(prefix)


def render_all(problems: list[Problem], limit: int = MAX_SHOWN) -> list[str]:
    """Return the first ``limit`` problems rendered, then a line counting the rest."""
    shown = [problem.render() for problem in problems[:limit]]
    if len(problems) > limit:
        rest = len(problems) - limit
        shown.append(f"… and {rest:,} more problem{'s' if rest != 1 else ''} (fix these first)")
    return shown


class InputError(Exception):
    """Bad input: one or more problems, each naming its file and place. Exit code 2."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(render_all(self.problems)))

    @classmethod
    def single(cls, path: str, message: str, hint: str | None = None) -> InputError:
        """Return an error about a whole file or argument, with no line to point at."""
        return cls([Problem(path=path, message=message, hint=hint)])


class OutputError(Exception):
    """The output could not be written: a full disk, a file-size limit, a closed stdout. Exit 4.

    Raised once writing has begun; a target refused before anything is written (a
    read-only file, a folder that does not exist) is bad input (``InputError``).
    """

    def __init__(self, where: str, message: str, hint: str | None = None) -> None:
        self.where = where
        self.message = message
        self.hint = hint
        super().__init__(self.render())

    def render(self) -> str:
        """Return ``where: error: message`` and the hint, as the problems are printed."""
        return Problem(path=self.where, message=self.message, hint=self.hint).render()


class Invalid(ValueError):
    """A value that fails a rule: what is wrong, how to fix it, and which key it is about.

    Raised by parsers and validators (pydantic keeps it as the error's context,
    so diagnose.py reads its parts rather than parsing text). ``key`` names a key
    of the mapping being validated when the problem is about that key.
    """

    def __init__(self, message: str, hint: str | None = None, *, key: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.key = key

    def __str__(self) -> str:
        return self.message if self.hint is None else f"{self.message}; {self.hint}"


def message_and_hint(error: Exception) -> tuple[str, str | None]:
    """Return an error's message and hint: an ``Invalid``'s parts, or its text and no hint."""
    if isinstance(error, Invalid):
        return error.message, error.hint
    return str(error), None
