"""Pydantic validation errors mapped back onto the YAML: file, line, column and a hint.

Each pydantic error location (``("series", "later_price")``) is walked through
the parsed data, skipping union tags, to the node ``document.parse`` recorded;
unknown keys get the closest valid key from the model at that place.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, Tag, ValidationError

from ..errors import MAX_SHOWN, Invalid, Problem, quoted
from .yaml_source import Document, Span


def problems_from(
    error: ValidationError, document: Document, model: type[BaseModel]
) -> list[Problem]:
    """Return one problem per pydantic error, positioned for as many as are ever printed.

    Beyond the ``MAX_SHOWN`` printed, problems are only counted ("and N more"), so
    they are not traced back to their line or given a "did you mean".
    """
    problems = []
    for index, item in enumerate(error.errors(include_url=False)):
        if index < MAX_SHOWN:
            problems.append(_problem(item, document, model))
        else:
            problems.append(Problem(path=document.path, message=str(item["msg"])))
    return problems


def _lookup(node: Any, part: str | int) -> tuple[bool, Any]:
    """Return whether ``node`` has the key or index ``part``, and what is there."""
    if isinstance(node, dict) and part in node:
        return True, node[part]
    if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
        return True, node[part]
    return False, None


def _data_path(data: Any, loc: Sequence[str | int]) -> tuple[tuple[str | int, ...], bool]:
    """Map a pydantic location onto the data, skipping union tags; say if it all exists."""
    where: list[str | int] = []
    node = data
    for part in loc:
        found, child = _lookup(node, part)
        if found:
            node = child
        elif part is loc[-1]:
            return (*where, part), False
        else:
            continue
        where.append(part)
    return tuple(where), True


# Keys with no default because any default would flatter, and what to write for them.
MISSING_HINTS = {
    "apr": "add `apr:` with the yearly rate the clinic quotes for this plan (`apr: 0%` only if"
    " it says the plan is interest-free)",
}


def _problem(item: Any, document: Document, model: type[BaseModel]) -> Problem:
    loc = tuple(item["loc"])
    kind = item["type"]
    where, exists = _data_path(document.data, loc)
    dotted = ".".join(str(p) for p in where) or "file"
    context = item.get("ctx", {})
    raised = context.get("error")
    if isinstance(raised, Invalid):
        message, hint, key = raised.message, raised.hint, raised.key
    else:  # pydantic's own messages; a custom error type may carry its hint in its context
        message = str(item["msg"]).removeprefix("Value error, ")
        hint, key = context.get("hint"), None
    at_key = False
    if key is not None:
        if not exists:  # the location ended in a union tag, not a key of the data
            where, exists = where[:-1], True
        *parents, key = key.split(".")  # "block.key": a key one section down
        try:
            section = _resolve(document.data, (*where, *parents))
        except (KeyError, IndexError, TypeError):
            section, parents = None, []
        if isinstance(section, dict) and key in section:
            where = (*where, *parents, key)
            at_key = True
        if where:
            message = f"{'.'.join(str(p) for p in where)}: {message}"
    elif kind == "extra_forbidden":
        key = str(loc[-1])
        valid = _expected_keys(model, loc[:-1])
        from difflib import get_close_matches  # only for errors

        close = get_close_matches(key, valid, n=1, cutoff=0.6)
        message = f"unknown key {quoted(key)}" + (
            f" in {'.'.join(map(str, where[:-1]))}" if len(where) > 1 else ""
        )
        hint = f"did you mean {close[0]!r}?" if close else "valid keys here: " + ", ".join(valid)
        at_key = True
    elif kind == "missing":
        key = str(loc[-1])
        parent = ".".join(str(p) for p in where[:-1]) or "the top level"
        message = f"missing required key {quoted(key)} in {parent}"
        hint = hint or MISSING_HINTS.get(key, f"add `{key}:` with its value")
        where = where[:-1]
    elif kind in ("union_tag_invalid", "union_tag_not_found"):
        expected = item.get("ctx", {}).get("expected_tags", "booster, lozenge, esketamine")
        message = (
            f"{dotted}: unknown kind {item['input'].get('kind')!r}"
            if kind == "union_tag_invalid"
            else f"{dotted}: missing `kind`"
        )
        hint = f"kind is one of {expected}"
        if kind == "union_tag_invalid":
            where = (*where, "kind")
    elif kind == "literal_error":
        expected = item.get("ctx", {}).get("expected", "")
        message = f"{dotted}: {quoted(item['input'])} is not allowed"
        hint = f"use one of {expected}"
    elif kind in (
        "int_parsing",
        "int_from_float",
        "bool_parsing",
        "bool_type",
        "int_type",
        "greater_than_equal",
        "less_than_equal",
        "string_type",
        "dict_type",
        "list_type",
        "model_type",
        "model_attributes_type",
    ):
        message = f"{dotted}: {_plain(kind, item)}"
        hint = hint or _type_hint(kind)
    elif kind == "too_long":
        context = item.get("ctx", {})
        given, most = context.get("actual_length"), context.get("max_length")
        message = f"{dotted}: {given} items, more than the {most} a profile may list"
        hint = hint or "keep the items that apply; a clinic lists a few"
    else:
        message = f"{dotted}: {message}"
    origin = _override_origin(document, where)
    if origin is not None:
        label, span = origin
        return Problem(
            path=label,
            message=message,
            line=span.line,
            column=span.column,
            source_line=label,
            width=span.width,
            hint=hint,
        )
    if not exists and kind != "missing":
        where = where[:-1]
    return document.problem(where, message, hint, at_key=at_key)


def _plain(kind: str, item: Any) -> str:
    value = item.get("input")
    shown = str(value).lower() if isinstance(value, bool) else quoted(value)
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"expected a mapping of keys, got {shown}"
    if kind == "list_type":
        return f"expected a list (lines starting with '- '), got {shown}"
    if kind.startswith("bool"):
        return f"expected true or false, got {shown}"
    if kind == "string_type":
        return f"expected text, got {shown}"
    if kind in ("greater_than_equal", "less_than_equal"):
        return str(item["msg"]).replace("Input should be", f"{shown} should be")
    return f"expected a whole number, got {shown}"


def _type_hint(kind: str) -> str:
    if kind.startswith("bool"):
        return "write true or false"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return "indent the keys that belong under this one"
    if kind == "list_type":
        return "write each item on its own line starting with '- '"
    if kind == "string_type":
        return "put the text in quotes"
    return "write a whole number such as 6"


def _override_origin(document: Document, where: tuple[str | int, ...]) -> tuple[str, Span] | None:
    for length in range(len(where), 0, -1):
        found = document.overrides.get(where[:length])
        if found is not None:
            return found
    return None


def _resolve(data: Any, where: Sequence[str | int]) -> Any:
    node = data
    for part in where:
        node = node[part]
    return node


def _expected_keys(model: type[BaseModel], loc: Sequence[str | int]) -> list[str]:
    """Return the keys valid at ``loc``, walking the model's field types."""
    current: Any = model
    for part in loc:
        current = _step(current, part)
        if current is None:
            return []
    # an optional section (``NetworkTerms | None``) offers its model's keys
    model_class = next(filter(None, map(_as_model, _members(current))), None)
    return list(model_class.model_fields) if model_class else []


def _step(annotation: Any, part: str | int) -> Any:
    for candidate in _members(annotation):
        model_class = _as_model(candidate)
        if model_class is not None and isinstance(part, str):
            if part in model_class.model_fields:
                return model_class.model_fields[part].annotation
            if part in _tags(candidate, model_class):
                return model_class
        origin = typing.get_origin(candidate)
        if isinstance(part, int) and origin in (list, tuple):
            return typing.get_args(candidate)[0]
        if isinstance(part, str) and origin is dict:
            return typing.get_args(candidate)[1]
    return None


def _members(annotation: Any) -> list[Any]:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _members(typing.get_args(annotation)[0]) if not _tag_of(annotation) else [annotation]
    if origin in (typing.Union, types.UnionType):
        members: list[Any] = []
        for arg in typing.get_args(annotation):
            members.extend(_members(arg) if not _tag_of(arg) else [arg])
        return members
    return [annotation]


def _tag_of(annotation: Any) -> str | None:
    if typing.get_origin(annotation) is typing.Annotated:
        for meta in annotation.__metadata__:
            if isinstance(meta, Tag):
                return meta.tag
    return None


def _tags(annotation: Any, model_class: type[BaseModel]) -> set[str]:
    tags = {_tag_of(annotation)} - {None}
    kind = model_class.model_fields.get("kind")
    if kind is not None:
        tags.update(str(a) for a in typing.get_args(kind.annotation))
    return tags  # type: ignore[return-value]


def _as_model(annotation: Any) -> type[BaseModel] | None:
    if typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return None
