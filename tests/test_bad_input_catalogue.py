"""The bad-input catalogue as a whole: every layer's ``CASES`` list, gathered here so that case
ids stay unique across the files and no case silently disappears when the catalogue is split
or moved again. The cases themselves run in their own files; see tests/bad_inputs.py.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from bad_inputs import Case

TESTS = Path(__file__).parent

CATALOGUE_FILES = [
    "sources/test_bad_source_files.py",
    "sources/test_bad_curated_tables.py",
    "test_bad_ceasefire_table.py",
    "test_bad_parameters.py",
    "runner/test_bad_run_files.py",
]

# tests/test_bad_inputs.py held 104 cases when it was split by layer; the catalogue may grow
# but never shrink below that without this floor being lowered on purpose.
CASES_BEFORE_THE_SPLIT = 104


def _module(relative: str) -> ModuleType:
    """The test module at ``relative``, under the name pytest gives it (its file name: the
    test folders are not packages), so pytest and this file share one module object."""
    path = TESTS / relative
    name = path.stem
    if name in sys.modules:
        module = sys.modules[name]
        assert Path(module.__file__).resolve() == path.resolve(), f"two modules named {name}"
        return module
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _catalogue() -> dict[str, list[Case]]:
    return {relative: _module(relative).CASES for relative in CATALOGUE_FILES}


def test_every_catalogue_file_is_listed() -> None:
    found = sorted(
        path.relative_to(TESTS).as_posix()
        for path in TESTS.rglob("test_bad_*.py")
        if path.name != Path(__file__).name
    )
    assert found == sorted(CATALOGUE_FILES)


def test_case_ids_are_unique_across_the_catalogue() -> None:
    ids = [case.id for cases in _catalogue().values() for case in cases]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    assert duplicates == []


def test_no_case_has_disappeared() -> None:
    catalogue = _catalogue()
    assert all(cases for cases in catalogue.values()), "a catalogue file has no cases"
    total = sum(len(cases) for cases in catalogue.values())
    assert total >= CASES_BEFORE_THE_SPLIT
