"""Frozen dataclasses built at the speed of mutable ones, for the engine's hot loops.

A frozen dataclass's ``__init__`` sets each field through ``object.__setattr__``,
about 60 ns a field: an estimate makes a few dozen objects of 7 to 21 fields,
and that alone was a fifth of its time. ``builder(cls)`` returns a function
that fills a mutable twin of ``cls`` (the same slots, so the same memory layout)
with plain attribute stores, then gives the object its real class. What comes
out is an ordinary ``cls`` instance: frozen, equal to and hashing like one made
by ``cls(...)``, and ``dataclasses.replace`` works on it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields, is_dataclass
from typing import Any, ParamSpec, TypeVar, cast

T = TypeVar("T")
P = ParamSpec("P")
_OWN = "_frozen_"  # the prefix of the generated function's own names: no field may take it


def builder(made_as: Callable[P, T]) -> Callable[P, T]:
    """Return a constructor for the frozen slots dataclass ``made_as`` that needs every field.

    Fields are given in order or by name, as to ``made_as(...)`` (the type checker
    holds calls to its signature), but none may be left out: the builder fills no
    defaults.
    """
    cls = cast(type, made_as)
    params = getattr(cls, "__dataclass_params__", None)
    if not is_dataclass(cls) or not getattr(params, "frozen", False):
        raise TypeError(f"{cls.__name__} is not a frozen dataclass")
    names = tuple(field.name for field in fields(cls))
    if sorted(getattr(cls, "__slots__", ())) != sorted(names):
        raise TypeError(f"{cls.__name__} does not keep its fields, and only them, in slots")
    if hasattr(cls, "__post_init__"):
        raise TypeError(f"{cls.__name__} has a __post_init__ that a builder would skip")
    if any(name.startswith(_OWN) for name in names):
        raise TypeError(f"{cls.__name__} has a field named like the builder's own {_OWN}*")
    if getattr(cls, "__parameters__", ()):
        raise TypeError(f"{cls.__name__} is generic: its instances' layout may differ")
    twin = type(f"{cls.__name__}Draft", (), {"__slots__": names})
    stores = "".join(f"    {_OWN}made.{name} = {name}\n" for name in names)
    source = (
        f"def build({', '.join(names)}):\n"
        f"    {_OWN}made = {_OWN}new({_OWN}twin)\n"
        f"{stores}"
        f"    {_OWN}made.__class__ = {_OWN}cls  # the same slots and layout: only the class changes\n"
        f"    return {_OWN}made\n"
    )
    namespace: dict[str, Any] = {
        f"{_OWN}new": object.__new__,
        f"{_OWN}twin": twin,
        f"{_OWN}cls": cls,
    }
    exec(source, namespace)  # the names are the dataclass's own field names
    build: Callable[P, T] = namespace["build"]
    build.__qualname__ = build.__name__ = f"build_{cls.__name__}"
    build.__doc__ = f"Return a {cls.__name__} from every field's value, in order or by name."
    return build
