"""docs/letters.md shows a letter of each kind exactly as `ketacost letter` drafts it.

Run this file with Python to regenerate the blocks after a change to the letters.
"""

from __future__ import annotations

import re
import shlex
import sys
from pathlib import Path

from typer.testing import CliRunner

from ketacost.cli import app

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "letters.md"
BLOCK = re.compile(r"<!-- (ketacost letter [^>]+) -->\n```text\n(.*?)```", re.DOTALL)


def drafted(command: str) -> str:
    args = shlex.split(command)[1:]
    args = [str(ROOT / a) if a.startswith("examples/") else a for a in args]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def regenerated(text: str) -> str:
    return BLOCK.sub(lambda m: f"<!-- {m.group(1)} -->\n```text\n{drafted(m.group(1))}```", text)


def test_the_docs_show_a_letter_of_each_kind_as_drafted() -> None:
    text = DOC.read_text(encoding="utf-8")
    kinds = [m.group(1).split()[2] for m in BLOCK.finditer(text)]
    assert kinds == ["appeal", "gfe-dispute", "superbill-request", "claim-status"]
    assert regenerated(text) == text, f"run: python {Path(__file__).name}"


if __name__ == "__main__":
    DOC.write_text(regenerated(DOC.read_text(encoding="utf-8")), encoding="utf-8")
    sys.exit(0)
