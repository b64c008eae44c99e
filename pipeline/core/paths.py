"""Where the project's data lives: the folder with params.yaml and schemas/ around the working directory.

Commands run from a checkout (or a copy of one, as DVC and CI do) use that checkout's sources,
schemas and parameters; anywhere else they fall back to the checkout the package was installed from.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_ROOT = Path(__file__).resolve().parents[2]


def project_root(start: Path | None = None) -> Path:
    """The nearest folder at or above `start` (default: cwd) holding params.yaml and schemas/."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "params.yaml").is_file() and (folder / "schemas").is_dir():
            return folder
    return PACKAGE_ROOT


ROOT = project_root()
