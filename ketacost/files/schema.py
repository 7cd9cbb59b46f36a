"""JSON Schema for clinic and plan profiles, ledgers and person files, from the models."""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel

from ..model.clinic import Clinic
from ..model.ledger import Ledger
from ..model.person import Person
from ..model.plan import Plan

SCHEMA_URL = "https://json-schema.org/draft/2020-12/schema"


def schema(kind: str) -> dict[str, Any]:
    """Return the JSON Schema of ``kind`` ("clinic", "plan", "ledger" or "person")."""
    models: dict[str, type[BaseModel]] = {
        "clinic": Clinic,
        "plan": Plan,
        "ledger": Ledger,
        "person": Person,
    }
    model = models[kind]
    generated = model.model_json_schema()
    return {"$schema": SCHEMA_URL, "$id": f"{kind}.schema.json", **generated}


def schema_text(kind: str) -> str:
    """Return the schema as stable, indented JSON text with a final newline."""
    return json.dumps(schema(kind), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
