"""Strict YAML reading that remembers where every key and value came from.

Only plain data comes out: mappings, lists, text, whole numbers, ``Decimal``
(read from the number's own text, never through float), booleans and null.
Scalars resolve by the YAML 1.2 core schema, so ``yes``/``no``/``on`` stay
text and ``2026-11-20`` stays text for the models to read as a date. Anchors,
aliases, tags beyond YAML's own, duplicate keys, NaN and infinity are refused.
"""

from __future__ import annotations

import gc
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

import yaml
from yaml.composer import Composer
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import BaseResolver
from yaml.scanner import Scanner

from ..errors import InputError, Problem
from ..money import number_size_problem

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 32

Path = tuple[str | int, ...]

_TAG = "tag:yaml.org,2002:"
_NULL, _BOOL, _INT, _FLOAT, _STR = (_TAG + t for t in ("null", "bool", "int", "float", "str"))
_MAP, _SEQ = _TAG + "map", _TAG + "seq"
_SCALAR_TAGS = {_NULL, _BOOL, _INT, _FLOAT, _STR}


# Plain scalars resolve by the YAML 1.2 core schema, not YAML 1.1's: by their first
# character, the patterns that may match it, in order; anything else is text.
_IMPLICIT: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
for _tag, _pattern, _first in (
    (_NULL, r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    (_BOOL, r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
    (_INT, r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", list("-+0123456789")),
    (
        _FLOAT,
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        list("-+.0123456789"),
    ),
):
    for _character in _first:
        _IMPLICIT.setdefault(_character, []).append((_tag, re.compile(_pattern)))


class _CoreSchemaResolver(BaseResolver):
    """Resolve plain scalars by the YAML 1.2 core schema, not YAML 1.1's.

    The parser asks once per node, so this is a parse's hottest Python code: it
    looks the patterns up by first character and skips the path resolvers,
    which ketacost does not use.
    """

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        """Track nothing: without path resolvers there is no path to follow."""

    def ascend_resolver(self) -> None:
        """Track nothing (see descend_resolver)."""

    def resolve(self, kind: type[Node], value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is ScalarNode:
            if implicit[0]:  # plain, not quoted
                for tag, pattern in _IMPLICIT.get(value[:1], ()):
                    if pattern.match(value):
                        return tag
            return _STR
        return _SEQ if kind is SequenceNode else _MAP


class _StrictComposer(Composer):
    """The pure-Python composer, refusing anchors at the place they are written."""

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        event = self.peek_event()  # type: ignore[attr-defined]  # from the Parser beside it
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            raise yaml.MarkedYAMLError(
                problem=f"anchors and aliases (&{anchor}, *{anchor}) are not allowed",
                problem_mark=event.start_mark,
            )
        return super().compose_node(parent, index)


class _PyLoader(Reader, Scanner, Parser, _StrictComposer, _CoreSchemaResolver):
    def __init__(self, stream: str) -> None:
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)
        Composer.__init__(self)
        _CoreSchemaResolver.__init__(self)


# LibYAML's C parser when PyYAML was built with it; else the pure-Python one serves.
_CParser: Any = getattr(getattr(yaml, "cyaml", None), "CParser", None)
_CLoader: type | None = None
if _CParser is not None:

    class _FastLoader(_CParser, _CoreSchemaResolver):  # type: ignore[misc]
        def __init__(self, stream: str) -> None:
            _CParser.__init__(self, stream)
            _CoreSchemaResolver.__init__(self)

    _CLoader = _FastLoader


class Span(NamedTuple):
    """Where a node sits: 1-based line and column, and its width on that line.

    A named tuple: a parse makes one per key and value, at tuple speed.
    """

    line: int
    column: int
    width: int


@dataclass
class Document:
    """A parsed YAML file: plain data plus the place of every key and value."""

    path: str
    lines: list[str]
    data: Any
    values: dict[Path, Span] = field(default_factory=dict)
    keys: dict[Path, Span] = field(default_factory=dict)
    overrides: dict[Path, tuple[str, Span]] = field(default_factory=dict)

    def problem(
        self, where: Path, message: str, hint: str | None = None, *, at_key: bool = False
    ) -> Problem:
        """Return a problem pointing at ``where``, or its nearest parent that exists."""
        span = None
        probe = tuple(where)
        while span is None:
            span = (self.keys.get(probe) if at_key else None) or self.values.get(probe)
            if span is None:
                if not probe:
                    break
                probe = probe[:-1]
        if span is None:
            return Problem(path=self.path, message=message, hint=hint)
        source = self.lines[span.line - 1] if 0 < span.line <= len(self.lines) else None
        return Problem(
            path=self.path,
            message=message,
            line=span.line,
            column=span.column,
            source_line=source,
            width=span.width,
            hint=hint,
        )


def _span(node: Node) -> Span:
    start, end = node.start_mark, node.end_mark
    line, column = start.line, start.column
    width = end.column - column if end.line == line else 1
    return _new_span(Span, (line + 1, column + 1, width if width > 1 else 1))


_new_span = tuple.__new__  # a named tuple from its values, without the keyword machinery


def _mark_problem(path: str, lines: list[str], error: yaml.MarkedYAMLError) -> Problem:
    mark = error.problem_mark or error.context_mark
    message = error.problem or error.context or "this is not valid YAML"
    message = message.replace("\n", " ")
    hint = "check the indentation and quoting around this line"
    if error.context == "while scanning a simple key" and error.context_mark is not None:
        # the scanner finds the missing ':' only on a later line: point at the text
        mark = error.context_mark
        message = "this line is neither `key: value` nor a list item: no ':' follows it"
        hint = "write it as `key: value`, or delete it"
    elif "anchors and aliases" in message:
        hint = "write the value out in full where it is needed"
    elif "tab" in message:
        hint = "indent with spaces, not tabs"
    elif mark is not None and _at(lines, mark.line, mark.column) == "\t":
        message = "a tab here: YAML indents with spaces only"
        hint = "indent with spaces, not tabs"
    if mark is None:
        return Problem(path=path, message=message, hint=hint)
    line = mark.line + 1
    source = lines[mark.line] if 0 <= mark.line < len(lines) else None
    return Problem(
        path=path,
        message=message,
        line=line,
        column=mark.column + 1,
        source_line=source,
        hint=hint,
    )


def _at(lines: list[str], line: int, column: int) -> str | None:
    """Return the character at a mark, or None past the text."""
    if 0 <= line < len(lines) and 0 <= column < len(lines[line]):
        return lines[line][column]
    return None


def _reader_problem(path: str, text: str, error: yaml.reader.ReaderError) -> Problem:
    before = text[: error.position]
    line = before.count("\n") + 1
    column = error.position - (before.rfind("\n") + 1) + 1
    character = error.character
    code = ord(character) if isinstance(character, str) else int(character)
    shown = f"U+{code:04X}"
    source = text.split("\n")[line - 1]
    return Problem(
        path=path,
        message=f"the control character {shown} is not allowed in YAML text",
        line=line,
        column=column,
        source_line=source.encode("unicode_escape").decode("ascii"),
        hint="delete it, or retype the line; it often comes from copying text out of a PDF",
    )


def decode(path: str, raw: bytes) -> str:
    """Return the text of a YAML file, refusing what is too big, binary or not UTF-8."""
    if len(raw) > MAX_BYTES:
        raise InputError.single(
            path,
            f"file is over {MAX_BYTES:,} bytes (1 MiB), the limit for a profile",
            "a clinic or plan profile is a few dozen lines; is this the right file?",
        )
    if b"\x00" in raw:
        raise InputError.single(
            path, "this is a binary file, not YAML text", "give the path of a .yaml profile"
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        column = error.start - (before.rfind(b"\n") + 1) + 1
        source = raw.split(b"\n")[line - 1].decode("utf-8", "replace")
        raise InputError(
            [
                Problem(
                    path=path,
                    message=f"byte 0x{raw[error.start]:02x} is not valid UTF-8 text",
                    line=line,
                    column=column,
                    source_line=source,
                    hint="save the file as UTF-8 (most editors offer it under 'Save as')",
                )
            ]
        ) from None
    return text.removeprefix("\ufeff")


# What to start an empty file from, by the kind of file it should be.
EMPTY_HINTS = {
    "clinic": "start from `ketacost init` or a profile in pricing/",
    "plan": "start from a plan in examples/plans/ (docs/plan-format.md)",
    "ledger": "start one with `ketacost init --ledger`",
    "person": "start one with `ketacost init --person`",
}
EMPTY_HINT = (
    "a clinic starts from `ketacost init`, a ledger from `init --ledger`, a person file from"
    " `init --person`, a plan from examples/plans/"
)


def parse(path: str, text: str, kind: str | None = None) -> Document:
    """Return the document in ``text``; raise ``InputError`` listing what is wrong.

    The garbage collector is kept out of the parse: a large ledger makes tens of
    thousands of nodes, dicts and spans, none in a reference cycle, and the
    collections their allocation would trigger each walk everything alive (more
    than half a large parse's time, for nothing to free).
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _parse(path, text, kind)
    finally:
        if collecting:
            gc.enable()


def _parse(path: str, text: str, kind: str | None = None) -> Document:
    lines = text.splitlines()
    loader_class = _CLoader if _CLoader is not None and "&" not in text else _PyLoader
    loader = None
    try:
        loader = loader_class(text)
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as error:
        raise InputError([_mark_problem(path, lines, error)]) from None
    except yaml.reader.ReaderError as error:
        raise InputError([_reader_problem(path, text, error)]) from None
    except yaml.YAMLError as error:
        raise InputError.single(path, f"this is not valid YAML: {error}") from None
    except RecursionError:
        raise InputError.single(
            path,
            "the document nests too deeply to be a profile",
            f"profiles nest at most {MAX_DEPTH} levels",
        ) from None
    finally:
        dispose = getattr(loader, "dispose", None) if loader is not None else None
        if dispose is not None:
            dispose()
    if node is None:
        raise InputError.single(path, "file is empty", EMPTY_HINTS.get(kind or "", EMPTY_HINT))
    document = Document(path=path, lines=lines, data=None)
    problems: list[Problem] = []
    document.data = _convert(node, (), document, problems, set())
    if problems:
        raise InputError(problems)
    return document


def _convert(
    node: Node, where: Path, doc: Document, problems: list[Problem], seen: set[int]
) -> Any:
    doc.values[where] = _span(node)
    if id(node) in seen:
        problems.append(
            doc.problem(
                where,
                "anchors and aliases are not allowed",
                "write the value out in full where it is needed",
            )
        )
        return None
    seen.add(id(node))
    if len(where) > MAX_DEPTH:
        problems.append(
            doc.problem(
                where,
                "the document nests too deeply to be a profile",
                f"profiles nest at most {MAX_DEPTH} levels",
            )
        )
        return None
    if isinstance(node, ScalarNode):
        return _scalar(node, where, doc, problems)
    # A plain text value (the most common node by far) is taken in the loops below
    # without a call of its own: the same span and value _convert would give it.
    values = doc.values
    shallow = len(where) < MAX_DEPTH
    if isinstance(node, SequenceNode):
        if node.tag != _SEQ:
            problems.append(_tag_problem(node, where, doc))
        items = []
        for index, item in enumerate(node.value):
            child = (*where, index)
            if shallow and type(item) is ScalarNode and item.tag == _STR:
                values[child] = _span(item)
                items.append(item.value)
            else:
                items.append(_convert(item, child, doc, problems, seen))
        return items
    if isinstance(node, MappingNode):
        if node.tag != _MAP:
            problems.append(_tag_problem(node, where, doc))
        mapping: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if type(key_node) is ScalarNode and key_node.tag == _STR:
                key = key_node.value
            else:
                key = (
                    _scalar(key_node, where, doc, problems)
                    if isinstance(key_node, ScalarNode)
                    else None
                )
            if not isinstance(key, (str, int)) or isinstance(key, bool):
                span = _span(key_node)
                problems.append(
                    Problem(
                        path=doc.path,
                        message="a key must be a plain name",
                        line=span.line,
                        column=span.column,
                        width=span.width,
                        source_line=doc.lines[span.line - 1],
                        hint="write keys as plain words",
                    )
                )
                continue
            key = str(key)
            child = (*where, key)
            if key in mapping:
                duplicate = (*child, "#dup")
                doc.keys[duplicate] = _span(key_node)
                first = doc.keys[child]
                problems.append(
                    doc.problem(
                        duplicate,
                        f"duplicate key {key!r} (first given on line {first.line})",
                        "keep one of them; YAML would silently use only the last",
                        at_key=True,
                    )
                )
                continue
            doc.keys[child] = _span(key_node)
            if shallow and type(value_node) is ScalarNode and value_node.tag == _STR:
                values[child] = _span(value_node)
                mapping[key] = value_node.value
            else:
                mapping[key] = _convert(value_node, child, doc, problems, seen)
        return mapping
    problems.append(doc.problem(where, "unsupported YAML node"))
    return None


def _tag_problem(node: Node, where: Path, doc: Document) -> Problem:
    shown = node.tag.replace(_TAG, "!!")
    return doc.problem(
        where,
        f"the tag {shown} is not allowed",
        "profiles hold plain values only; remove the tag",
    )


def _scalar(node: ScalarNode, where: Path, doc: Document, problems: list[Problem]) -> Any:
    tag, text = node.tag, node.value
    if tag not in _SCALAR_TAGS:
        problems.append(_tag_problem(node, where, doc))
        return None
    if tag == _STR:
        return text
    if tag == _NULL:
        return None
    if tag == _BOOL:
        return text.lower() == "true"
    # Short numbers written without an exponent cannot be too long: only the rest is checked.
    too_long = number_size_problem(text) if len(text) > 24 or "e" in text or "E" in text else None
    if too_long is not None:
        problems.append(doc.problem(where, too_long.message, too_long.hint))
        return None
    if tag == _INT:
        try:
            return int(text, 0) if text[:2] in ("0o", "0x") else int(text, 10)
        except ValueError:
            return text
    number = Decimal(
        text.replace(".inf", "Infinity")
        .replace(".Inf", "Infinity")
        .replace(".INF", "Infinity")
        .lower()
        .replace(".nan", "NaN")
    )
    if not number.is_finite():
        problems.append(
            doc.problem(
                where,
                f"{text} is not a number ketacost can use",
                "write a finite number such as 600",
            )
        )
        return None
    return number
