"""Problems found in what a user gave us, reported as values with their place."""

from __future__ import annotations

from dataclasses import dataclass


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
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        lines = [f"{where}: {self.severity}: {self.message}"]
        if self.source_line is not None and self.line is not None:
            gutter = f"{self.line:>4} | "
            lines.append(gutter + self.source_line.rstrip("\n"))
            indent = " " * (len(gutter) + max((self.column or 1) - 1, 0))
            lines.append(indent + "^" * max(self.width, 1))
        if self.hint:
            lines.append(f"  hint: {self.hint}")
        return "\n".join(lines)


class InputError(Exception):
    """Bad input: one or more problems, each naming its file and place. Exit code 2."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(p.render() for p in self.problems))

    @classmethod
    def single(cls, path: str, message: str, hint: str | None = None) -> InputError:
        """Return an error about a whole file or argument, with no line to point at."""
        return cls([Problem(path=path, message=message, hint=hint)])


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


def split_hint(text: str) -> tuple[str, str | None]:
    """Split ``"message | hint"`` (the older convention of our validators) into its parts."""
    message, sep, hint = text.partition(" | ")
    return message.strip(), (hint.strip() if sep else None)


def message_and_hint(error: Exception) -> tuple[str, str | None]:
    """Return an error's message and hint: an ``Invalid``'s parts, or ``"message | hint"``."""
    if isinstance(error, Invalid):
        return error.message, error.hint
    return split_hint(str(error))
