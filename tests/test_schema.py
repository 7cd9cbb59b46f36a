"""The JSON Schemas: `ketacost schema` matches the committed files, and every bundled
profile validates against them with the independent `jsonschema` package (docs/commands.md)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from typer.testing import CliRunner

from ketacost.cli import app
from ketacost.files.load import kind_of
from ketacost.files.yaml_source import parse

ROOT = Path(__file__).parent.parent
SCHEMA_DIR = ROOT / "schema"
SCHEMA_LINE = re.compile(r"^# yaml-language-server: \$schema=(?P<ref>\S+)\s*$")


def profiles() -> list[Path]:
    found = sorted(
        p
        for folder in ("pricing", "examples")
        for pattern in ("*.yaml", "*.yml")
        for p in (ROOT / folder).rglob(pattern)
    )
    assert found, "no bundled profiles found"
    return found


PROFILES = profiles()
IDS = [str(p.relative_to(ROOT)) for p in PROFILES]


def committed(kind: str) -> dict:
    return json.loads((SCHEMA_DIR / f"{kind}.schema.json").read_text(encoding="utf-8"))


def validator(kind: str) -> Draft202012Validator:
    schema = committed(kind)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def load(path: Path):
    return parse(str(path), path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("kind", ["clinic", "plan", "ledger", "person"])
def test_schema_command_matches_committed_file(kind: str) -> None:
    result = CliRunner().invoke(app, ["schema", kind])
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    file = SCHEMA_DIR / f"{kind}.schema.json"
    assert result.stdout == file.read_text(encoding="utf-8"), (
        f"schema/{kind}.schema.json is out of date with the models; regenerate it with"
        f" `ketacost schema {kind} > schema/{kind}.schema.json`"
    )


def test_schema_default_is_clinic() -> None:
    result = CliRunner().invoke(app, ["schema"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == json.loads(
        CliRunner().invoke(app, ["schema", "clinic"]).stdout
    )


def test_schema_unknown_kind_is_usage_error() -> None:
    result = CliRunner().invoke(app, ["schema", "pharmacy"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("kind", ["clinic", "plan", "ledger", "person"])
def test_committed_schema_is_valid_draft_2020_12(kind: str) -> None:
    schema = committed(kind)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)
    assert schema.get("additionalProperties") is False


@pytest.mark.parametrize("path", PROFILES, ids=IDS)
def test_bundled_profile_validates(path: Path) -> None:
    document = load(path)
    kind = kind_of(document)
    errors = sorted(validator(kind).iter_errors(document.data), key=lambda e: list(e.path))
    assert not errors, "\n".join(
        f"{'.'.join(map(str, e.path)) or '(top)'}: {e.message}" for e in errors
    )


@pytest.mark.parametrize("path", PROFILES, ids=IDS)
def test_bundled_profile_names_its_schema(path: Path) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    match = SCHEMA_LINE.match(first)
    assert match, f"{path.name} should start with `# yaml-language-server: $schema=...`"
    ref = match["ref"]
    assert "://" not in ref, f"{ref} should be a relative path"
    target = (path.parent / ref).resolve()
    assert target.is_file(), f"{ref} does not resolve to a file from {path.parent}"
    kind = kind_of(load(path))
    assert target == (SCHEMA_DIR / f"{kind}.schema.json").resolve(), (
        f"a {kind} profile should name {kind}.schema.json, not {ref}"
    )


UNKNOWN_KEY_CASES = [
    ("clinic", "name: X\nseries:\n  sessions: 6\n  price: 400\nwebsite: https://x\n"),
    ("clinic", "name: X\nseries:\n  sessions: 6\n  first_price: 750\n  later_prize: 600\n"),
    (
        "clinic",
        "name: X\nseries: {sessions: 6, price: 400}\nfees:\n  - {name: A, amount: 1, taxed: true}\n",
    ),
    ("plan", "kind: plan\nname: P\nout_of_network:\n  deductable: 2000\n"),
    ("plan", "kind: plan\nname: P\nscenarios:\n  - name: S\n    chance: 0.5\n"),
]


@pytest.mark.parametrize(("kind", "text"), UNKNOWN_KEY_CASES)
def test_unknown_key_fails_jsonschema_too(kind: str, text: str) -> None:
    data = parse("x.yaml", text).data
    errors = list(validator(kind).iter_errors(data))
    assert errors, "an unknown key should fail the schema (additionalProperties: false)"
    assert any(
        e.validator in ("additionalProperties", "unevaluatedProperties", "anyOf", "oneOf")
        for e in errors
    ), [e.message for e in errors]


def test_minimal_profiles_validate() -> None:
    clinic = parse("c.yaml", "name: X\nseries:\n  sessions: 6\n  price: 400\n").data
    plan = parse("p.yaml", "kind: plan\nname: P\n").data
    assert not list(validator("clinic").iter_errors(clinic))
    assert not list(validator("plan").iter_errors(plan))


def test_missing_series_fails_jsonschema() -> None:
    data = parse("c.yaml", "name: X\n").data
    assert list(validator("clinic").iter_errors(data))
