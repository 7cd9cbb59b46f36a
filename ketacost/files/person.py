"""Find and read the person file (``ketacost.yaml``): the situation every command starts from.

Where it is looked for, in order (docs/person-file.md): ``--config FILE``; else
``$KETACOST_CONFIG``; else ``ketacost.yaml`` in the current folder or the
nearest parent up to the home folder; else the user config folder. With
``--no-config`` none is read. Finding it costs a few ``stat`` calls; only a
file that is found is parsed, so a person without one pays nothing more.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InputError

if TYPE_CHECKING:
    from ..model.person import Person
    from .yaml_source import Document

FILE_NAME = "ketacost.yaml"
ENVIRONMENT = "KETACOST_CONFIG"


@dataclass(frozen=True)
class PersonFile:
    """A person file read and checked: where it is, what it says, and its document."""

    path: Path
    person: Person
    document: Document

    def relative(self, value: str) -> str:
        """Return a path the file gives (``plan: plans/acme.yaml``) as seen from here."""
        path = Path(value).expanduser()
        if path.is_absolute():
            return str(path)
        return str(self.path.parent / path)

    @property
    def shown(self) -> str:
        """The file as a person would name it: relative to the current folder when inside it,
        else from ``~`` when in the home folder, else its name: a report that is sent on
        names no folder of this machine (docs/reports.md)."""
        path = self.path.resolve()
        try:
            return str(path.relative_to(Path.cwd().resolve()))
        except ValueError:
            pass
        try:
            return str(Path("~") / path.relative_to(Path.home().resolve()))
        except (ValueError, RuntimeError):
            return path.name


def find_person_file(config: Path | None = None, no_config: bool = False) -> Path | None:
    """Return the person file to read, or None: the first of the places above that has one."""
    if no_config:
        return None
    if config is not None:
        return config
    named = os.environ.get(ENVIRONMENT, "").strip()
    if named:
        return Path(named).expanduser()
    here = Path.cwd()
    home = Path.home()
    folders = [here]
    if here.is_relative_to(home):  # up to the home folder, never above it
        folders += [folder for folder in here.parents if folder.is_relative_to(home)]
    for folder in folders:
        candidate = folder / FILE_NAME
        if candidate.is_file():
            return candidate
    candidate = user_config_folder() / FILE_NAME
    return candidate if candidate.is_file() else None


def user_config_folder() -> Path:
    """Return the user config folder for ketacost, as platformdirs names it.

    On Linux and the other XDG systems that is ``$XDG_CONFIG_HOME/ketacost``,
    else ``~/.config/ketacost``: said here directly, since importing platformdirs
    costs a run with no person file a few milliseconds (it loads ``tempfile``).
    macOS and Windows ask platformdirs.
    """
    import sys

    if sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        xdg = os.environ.get("XDG_CONFIG_HOME", "").strip()
        return (Path(xdg) if xdg else Path.home() / ".config") / "ketacost"
    from platformdirs import user_config_path

    return user_config_path("ketacost")


def read_person(config: Path | None = None, no_config: bool = False) -> PersonFile | None:
    """Return the person file found (see ``find_person_file``), checked; None when none is.

    A file named by ``--config`` or ``$KETACOST_CONFIG`` that is missing or bad is an
    input error, as is any found file that is bad: a person file is never half-read.
    """
    path = find_person_file(config, no_config)
    if path is None:
        return None
    return load_person_file(path)


def load_person_file(path: Path) -> PersonFile:
    """Return the person file at ``path``, validated; raise ``InputError`` with positions."""
    from ..model.person import Person
    from .load import load_document, read_document

    document = read_document(path, "person")
    if isinstance(document.data, dict) and "kind" not in document.data:
        raise InputError(
            [
                document.problem(
                    (),
                    "a person file needs `kind: person`",
                    "add the line `kind: person` (`ketacost init --person` writes one)",
                )
            ]
        )
    person = load_document(document, "person")
    assert isinstance(person, Person)
    return PersonFile(path, person, document)


def ledger_file(given: Path | None, person: PersonFile | None) -> tuple[Path, str]:
    """Return the ledger to read and who named it: the argument, else the person file's."""
    if given is not None:
        return given, "flag"
    if person is not None and person.person.ledger is not None:
        return Path(person.relative(person.person.ledger)), "person file"
    raise InputError.single(
        "LEDGER",
        "no ledger named",
        "name the ledger file, or add `ledger: ledger.yaml` to your person file",
    )
