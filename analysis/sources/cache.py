"""Parquet cache for parsed source files, keyed by the SHA-256 of the input.

This module owns the cache keys, reading and (background) writing of cache entries, and
clearing the cache.

Parsing a million-row ACLED export takes seconds; reading the parsed table back from Parquet
takes a fraction of that. The cache key is the content hash of the input file (plus any other
inputs that change the result, such as the actor registry, and a loader version), never its
name or modification time, so an edited or re-downloaded file is parsed again while a copied
one is not. Cache files live in ``data/raw/.cache`` (git-ignored with the raw data) unless a
folder is given.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd

from analysis import paths

CACHE_DIR_NAME = ".cache"
HASH_CHUNK_BYTES = 4 * 1024 * 1024
CACHE_DISABLED = False
"""Pass as ``cache_dir`` to parse without reading or writing the cache."""

PathLike = str | os.PathLike[str]

_pending_writes: dict[Path, threading.Thread] = {}
_pending_lock = threading.Lock()


def file_sha256(path: PathLike) -> str:
    """Hex SHA-256 of a file's bytes, read in chunks so large exports need little memory.

    Parameters
    ----------
    path : str or os.PathLike
        The file.

    Returns
    -------
    str
        The hex digest.
    """
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(HASH_CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


def default_cache_dir() -> Path:
    """``data/raw/.cache`` under the (possibly relocated) data folder.

    Returns
    -------
    pathlib.Path
        The cache folder.
    """
    return paths.raw_dir() / CACHE_DIR_NAME


def cache_key(kind: str, version: str, inputs: Sequence[PathLike]) -> str:
    """Key naming one parsed result: kind, loader version and the hashes of every input.

    Parameters
    ----------
    kind : str
        What is cached, e.g. the source name.
    version : str
        The loader version; bump it to invalidate old entries.
    inputs : sequence of str or os.PathLike
        Every file the result depends on.

    Returns
    -------
    str
        The key, used as the cache file's stem.
    """
    combined = hashlib.sha256()
    for path in inputs:
        combined.update(file_sha256(path).encode())
    return f"{kind}-{version}-{combined.hexdigest()[:32]}"


def cached_frame(
    kind: str,
    version: str,
    inputs: Sequence[PathLike],
    build: Callable[[], pd.DataFrame],
    cache_dir: PathLike | bool | None = None,
) -> pd.DataFrame:
    """Return ``build()``'s table, reusing a Parquet copy when the inputs are unchanged.

    ``cache_dir`` None uses :func:`default_cache_dir`; ``False`` (:data:`CACHE_DISABLED`)
    skips the cache. ``DataFrame.attrs`` (e.g. a loader's report of dropped rows) travel in a
    JSON file next to the Parquet file because Parquet metadata is not meant for them.

    Parameters
    ----------
    kind : str
        What is cached, e.g. the source name.
    version : str
        The loader version.
    inputs : sequence of str or os.PathLike
        Every file the result depends on.
    build : callable
        Builds the table when no cached copy exists.
    cache_dir : str, os.PathLike or bool, optional
        The cache folder; None for the default, False to skip the cache.

    Returns
    -------
    pandas.DataFrame
        The table, with its ``attrs``.
    """
    if cache_dir is False:
        return build()
    folder = Path(cache_dir) if cache_dir else default_cache_dir()
    key = cache_key(kind, version, inputs)
    table_path = folder / f"{key}.parquet"
    attrs_path = folder / f"{key}.attrs.json"
    _wait_for(table_path)
    if table_path.is_file() and attrs_path.is_file():
        frame = pd.read_parquet(table_path)
        frame.attrs = json.loads(attrs_path.read_text(encoding="utf-8"))
        return frame
    frame = build()
    # The caller gets the table now; the Parquet copy is written by a background thread from
    # a snapshot (arrow-backed columns make the copy nearly free), so a first, cold load
    # costs no more than parsing. Python waits for the thread before exiting.
    snapshot = frame.copy(deep=True)
    snapshot.attrs = dict(frame.attrs)
    writer = threading.Thread(
        target=_write_cache, args=(snapshot, table_path, attrs_path), name=f"cache-{key}"
    )
    with _pending_lock:
        _pending_writes[table_path] = writer
    writer.start()
    return frame


def _write_cache(frame: pd.DataFrame, table_path: Path, attrs_path: Path) -> None:
    """Write a cache entry under temporary names and rename them into place, so an
    interrupted write never leaves a truncated file that a later run would trust."""
    tmp_table = table_path.with_suffix(".parquet.tmp")
    tmp_attrs = attrs_path.with_suffix(".json.tmp")
    try:
        table_path.parent.mkdir(parents=True, exist_ok=True)
        frame.to_parquet(tmp_table, index=False)
        tmp_attrs.write_text(json.dumps(frame.attrs, default=str, indent=1), encoding="utf-8")
        os.replace(tmp_table, table_path)
        os.replace(tmp_attrs, attrs_path)
    except OSError:
        # A cache that cannot be written (read-only or full disk) only costs a re-parse.
        tmp_table.unlink(missing_ok=True)
        tmp_attrs.unlink(missing_ok=True)


def _wait_for(table_path: Path) -> None:
    with _pending_lock:
        writer = _pending_writes.pop(table_path, None)
    if writer is not None:
        writer.join()


def wait_for_pending_writes() -> None:
    """Block until every cache entry started by this process is on disk.

    Returns
    -------
    None
    """
    with _pending_lock:
        writers = list(_pending_writes.values())
        _pending_writes.clear()
    for writer in writers:
        writer.join()


def clear_cache(cache_dir: PathLike | None = None) -> int:
    """Delete every cached table in the folder; returns how many files were removed.

    Parameters
    ----------
    cache_dir : str or os.PathLike, optional
        The cache folder; default :func:`default_cache_dir`.

    Returns
    -------
    int
        Number of files removed.
    """
    wait_for_pending_writes()
    folder = Path(cache_dir) if cache_dir else default_cache_dir()
    if not folder.is_dir():
        return 0
    removed = 0
    for pattern in ("*.parquet", "*.attrs.json"):
        for path in folder.glob(pattern):
            path.unlink()
            removed += 1
    return removed
