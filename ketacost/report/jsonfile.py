"""Write data as JSON (DESIGN §6): indented, UTF-8, money already as strings."""

from __future__ import annotations

import json
from typing import Any


def to_json(data: Any) -> str:
    """Return data as indented JSON with a final newline."""
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
