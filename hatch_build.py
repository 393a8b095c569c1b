"""Hatch build hook: the wheel ships the release that `kratom-data build --out dist` wrote.

Only a regular wheel takes dist/'s Parquet and descriptor (and the site's manual and queries
pages); an editable install (`pip install -e .`, used for development) needs no built release.
"""

from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

SHIPPED = {
    "dist/parquet": "kratom_data/data/parquet",
    "dist/datapackage.json": "kratom_data/data/datapackage.json",
    "docs/coding-manual.md": "kratom_data/docs/coding-manual.md",
    "docs/queries.md": "kratom_data/docs/queries.md",
}


class ReleaseDataHook(BuildHookInterface):
    def initialize(self, version: str, build_data: dict) -> None:
        if version != "standard":
            return
        root = Path(self.root)
        missing = [source for source in SHIPPED if not (root / source).exists()]
        if missing:
            raise FileNotFoundError(f"{', '.join(missing)} not found: build the release first (kratom-data build --out dist, or make wheel)")
        build_data["force_include"].update({str(root / source): target for source, target in SHIPPED.items()})
