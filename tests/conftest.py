"""Shared fixtures: paths to the bundled data and copies that tests may break."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from analysis import paths

BUNDLED_DATA = paths.PROJECT_ROOT / "data"


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled data folder (curated tables and the UCDP aggregate)."""
    target = tmp_path / "data"
    shutil.copytree(BUNDLED_DATA / "curated", target / "curated")
    shutil.copytree(BUNDLED_DATA / "ucdp", target / "ucdp")
    return target
