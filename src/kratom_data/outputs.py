"""An output folder that a command shares with whoever else writes there.

A command records the files it wrote in a marker file. The next run removes only those
files, and it refuses to overwrite a file it did not write, so a user's files (or the wheel and
site beside a release in `dist/`) are never deleted.
"""

from __future__ import annotations

from pathlib import Path


class OutputError(ValueError):
    """The output folder holds a file this command would overwrite but did not write."""


class OutputFolder:
    def __init__(self, path: Path, kind: str):
        self.path = Path(path)
        self.marker = self.path / f".kratom-data-{kind}"
        self.kind = kind

    def previous(self) -> list[str]:
        """Files (relative paths) the last run of this command wrote here."""
        if not self.marker.exists():
            return []
        return [line for line in self.marker.read_text(encoding="utf-8").splitlines() if line]

    def clear(self, planned: list[str]) -> None:
        """Remove what the last run wrote; refuse when a planned file exists and is someone else's."""
        previous = set(self.previous())
        foreign = [name for name in planned if (self.path / name).exists() and name not in previous]
        if foreign:
            shown = ", ".join(sorted(foreign)[:5]) + (" ..." if len(foreign) > 5 else "")
            raise OutputError(
                f"{self.path} already holds {len(foreign)} file(s) that kratom-data {self.kind} did not write ({shown}): "
                "choose another --out folder, or move those files away first")
        for name in sorted(previous):
            path = self.path / name
            if path.is_file():
                path.unlink()
        for folder in sorted({(self.path / name).parent for name in previous}, key=lambda p: len(p.parts), reverse=True):
            if folder != self.path and folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()
        self.path.mkdir(parents=True, exist_ok=True)

    def record(self, written: list[Path]) -> None:
        names = sorted(p.relative_to(self.path).as_posix() for p in written)
        self.marker.write_text("".join(f"{name}\n" for name in names), encoding="utf-8")
