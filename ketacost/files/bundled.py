"""The bundled clinic profiles in ``pricing/``: where they are and what they are called."""

from __future__ import annotations

from pathlib import Path

DEFAULT_PROFILE = "los-angeles-iv"


def pricing_dir() -> Path:
    """Return the folder of bundled profiles: inside the installed package, or the checkout's."""
    package = Path(__file__).parent.parent
    packaged = package / "pricing"
    if packaged.is_dir():
        return packaged
    return package.parent / "pricing"


def profile_names() -> list[str]:
    """Return the names of the bundled profiles, sorted."""
    return sorted(path.stem for path in pricing_dir().glob("*.yaml"))


def bundled_path(name: str) -> Path | None:
    """Return the file of the bundled profile ``name``, or None when there is none."""
    if not name or "/" in name or "\\" in name or name.startswith("."):
        return None
    candidate = pricing_dir() / f"{name.removesuffix('.yaml')}.yaml"
    return candidate if candidate.is_file() else None
