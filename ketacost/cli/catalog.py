"""``ketacost catalog``: the bundled reference profiles."""

from __future__ import annotations

from pathlib import Path

from .options import FormatOption, OutputOption, WidthOption, guarded


@guarded
def catalog_command(
    format: FormatOption = None, output: OutputOption = None, width: WidthOption = None
) -> None:
    """List the bundled clinic profiles: name, modality, series price and source."""
    from ..files import bundled
    from ..files.load import load_clinic
    from ..report.catalog import (
        CSV_HEADER,
        Entry,
        catalog_json,
        catalog_report,
        catalog_rows,
    )
    from ..report.csvfile import write_csv
    from .output import deliver

    entries = [Entry(name, load_clinic(name)) for name in bundled.profile_names()]
    deliver(
        format,
        output,
        json=lambda: catalog_json(entries),
        csv=lambda: write_csv(CSV_HEADER, catalog_rows(entries)),
        reports=lambda: [catalog_report(entries, _shown(bundled.pricing_dir()))],
        width=width,
    )


def _shown(folder: Path) -> str:
    """Return ``folder`` as a path from the current folder when it lies inside it."""
    try:
        return str(folder.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(folder)
