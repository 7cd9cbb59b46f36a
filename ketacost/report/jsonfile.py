"""Write data as JSON (docs/output.md): UTF-8, money already as strings, one entry a line.

The standard library's C encoder writes JSON only without indentation, and its
Python encoder is many times slower on a large comparison. So each entry of the
outer list or mapping is written by the C encoder on a line of its own: the file
stays easy to scan and diff, and as fast to write as compact JSON.
"""

from __future__ import annotations

import json
from typing import Any

_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode


def to_json(data: Any) -> str:
    """Return data as JSON with each outer entry on a line of its own, and a final newline."""
    if isinstance(data, list) and data:
        return "[\n" + ",\n".join("  " + _ENCODE(item) for item in data) + "\n]\n"
    if isinstance(data, dict) and data:
        entries = (f"  {_ENCODE(str(key))}: {_ENCODE(value)}" for key, value in data.items())
        return "{\n" + ",\n".join(entries) + "\n}\n"
    return _ENCODE(data) + "\n"
