"""Where the project's files live.

Every path derives from the project root so notebooks run from any working directory
(papermill, JupyterLab, tests). The data folder can be moved with the CEASEFIRE_DATA_DIR
environment variable or a notebook's ``data_dir`` parameter; the reports folder with
CEASEFIRE_REPORTS_DIR.
"""

from __future__ import annotations

import os
from pathlib import Path

DATA_DIR_ENV = "CEASEFIRE_DATA_DIR"
REPORTS_DIR_ENV = "CEASEFIRE_REPORTS_DIR"

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The data folder: the override if given, else $CEASEFIRE_DATA_DIR, else <root>/data.

    A relative folder is taken from the project root (as ``events_path`` is), never from the
    kernel's working folder, so a notebook's ``data_dir`` means the same wherever it runs.
    """
    chosen = override or os.environ.get(DATA_DIR_ENV)
    return resolve_user_path(chosen) if chosen else PROJECT_ROOT / "data"


def reports_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The reports folder: the override, else $CEASEFIRE_REPORTS_DIR, else <root>/reports."""
    chosen = override or os.environ.get(REPORTS_DIR_ENV)
    return Path(chosen).expanduser().resolve() if chosen else PROJECT_ROOT / "reports"


def curated_path(name: str, override: str | os.PathLike[str] | None = None) -> Path:
    """Path of a curated fact table, e.g. curated_path('ceasefires.csv')."""
    return data_dir(override) / "curated" / name


def ucdp_daily_path(override: str | os.PathLike[str] | None = None) -> Path:
    """Path of the bundled UCDP GED Myanmar daily aggregate."""
    return data_dir(override) / "ucdp" / "ucdp_ged_myanmar_daily.csv"


def raw_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """Git-ignored folder for user-supplied raw exports (ACLED rows never enter git)."""
    return data_dir(override) / "raw"


def resolve_user_path(path: str | os.PathLike[str]) -> Path:
    """Resolve a path given as a notebook parameter: relative paths are taken from the
    project root, not the kernel's working directory (papermill runs kernels elsewhere)."""
    candidate = Path(path).expanduser()
    return candidate if candidate.is_absolute() else (PROJECT_ROOT / candidate).resolve()
