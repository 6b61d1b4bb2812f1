"""Parquet cache integrity: a damaged entry is reported, deleted and rebuilt, never used and
never fatal; the cache can be switched off per call and from the environment."""

from __future__ import annotations

import json
import shutil
import warnings
from pathlib import Path

import pandas as pd
import pytest

from analysis.sources import acled, cache

FIXTURES = Path(__file__).parent.parent / "fixtures" / "acled"


@pytest.fixture
def export(tmp_path: Path) -> Path:
    source = tmp_path / "export.csv"
    shutil.copy(FIXTURES / "acled_current_layout.csv", source)
    return source


def _entry(cache_dir: Path) -> tuple[Path, Path]:
    cache.wait_for_pending_writes()
    (table,) = cache_dir.glob("*.parquet")
    (manifest,) = cache_dir.glob("*.attrs.json")
    return table, manifest


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _flip_bytes(path: Path) -> None:
    # Same size, different bytes in the middle of the column data: Parquet may still read.
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 16] = bytes(255 - b for b in data[middle : middle + 16])
    path.write_bytes(bytes(data))


def _garble_manifest(path: Path) -> None:
    path.write_text('{"format": 2, "parquet_sha256": ', encoding="utf-8")


def _old_format_manifest(path: Path) -> None:
    # What the cache wrote before manifests had a checksum: the bare attrs.
    manifest = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps(manifest["attrs"]), encoding="utf-8")


def _delete_manifest(path: Path) -> None:
    path.unlink()


DAMAGE = {
    "truncated parquet": (0, _truncate),
    "corrupted parquet bytes": (0, _flip_bytes),
    "empty parquet": (0, lambda path: path.write_bytes(b"")),
    "garbled manifest": (1, _garble_manifest),
    "manifest of an older format": (1, _old_format_manifest),
    "missing manifest": (1, _delete_manifest),
}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_a_damaged_entry_is_reported_deleted_and_rebuilt(
    damage: str, export: Path, tmp_path: Path
) -> None:
    fresh = acled.load_acled(export, cache_dir=False)
    cache_dir = tmp_path / "cache"
    acled.load_acled(export, cache_dir=cache_dir)
    entry = _entry(cache_dir)
    which, damage_file = DAMAGE[damage]
    damage_file(entry[which])
    with pytest.warns(cache.CacheWarning, match=r"cache file .*\.parquet is not usable"):
        rebuilt = acled.load_acled(export, cache_dir=cache_dir)
    pd.testing.assert_frame_equal(rebuilt, fresh)
    assert rebuilt.attrs == fresh.attrs
    # The rebuilt entry is whole again and used without a warning.
    _entry(cache_dir)
    with warnings.catch_warnings():
        warnings.simplefilter("error", cache.CacheWarning)
        again = acled.load_acled(export, cache_dir=cache_dir)
    pd.testing.assert_frame_equal(again, fresh)
    assert list(again.attrs["unmapped"]) == list(fresh.attrs["unmapped"])


def test_a_damaged_entry_is_never_used(export: Path, tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    fresh = acled.load_acled(export, cache_dir=cache_dir)
    table, _ = _entry(cache_dir)
    # A readable Parquet file of other data under the right name: the checksum catches it.
    fresh.head(2).to_parquet(table, index=False)
    with pytest.warns(cache.CacheWarning, match="checksum mismatch"):
        rebuilt = acled.load_acled(export, cache_dir=cache_dir)
    assert len(rebuilt) == len(fresh)


def test_cache_switched_off_per_call_and_from_the_environment(
    export: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache_dir = tmp_path / "cache"
    acled.load_acled(export, cache_dir=False)
    cache.wait_for_pending_writes()
    assert not cache_dir.exists()
    for value in ("off", "OFF", "0", "false", "no"):
        monkeypatch.setenv(cache.CACHE_ENV, value)
        acled.load_acled(export, cache_dir=cache_dir)
        cache.wait_for_pending_writes()
        assert not cache_dir.exists(), value
    monkeypatch.setenv(cache.CACHE_ENV, "on")
    acled.load_acled(export, cache_dir=cache_dir)
    _entry(cache_dir)


def test_a_misspelt_cache_switch_is_an_error(
    export: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(cache.CACHE_ENV, "of")
    with pytest.raises(ValueError, match=r"CEASEFIRE_CACHE='of' not understood.*'off'"):
        acled.load_acled(export, cache_dir=tmp_path / "cache")


def test_an_unwritable_cache_folder_costs_only_the_cache(export: Path, tmp_path: Path) -> None:
    blocked = tmp_path / "not_a_folder"
    blocked.write_text("a file where the cache folder should be", encoding="utf-8")
    events = acled.load_acled(export, cache_dir=blocked)
    cache.wait_for_pending_writes()
    pd.testing.assert_frame_equal(events, acled.load_acled(export, cache_dir=False))
