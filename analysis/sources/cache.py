"""Parquet cache for parsed source files, keyed by the SHA-256 of the input.

This module owns the cache keys, reading and (background) writing of cache entries, and
clearing the cache.

Parsing a million-row ACLED export takes seconds; reading the parsed table back from Parquet
takes a fraction of that. The cache key is the content hash of the input file (plus any other
inputs that change the result, such as the actor registry, and a loader version), never its
name or modification time, so an edited or re-downloaded file is parsed again while a copied
one is not. Cache files live in ``data/raw/.cache`` (git-ignored with the raw data) unless a
folder is given.

The cache never decides a result: every entry carries a manifest with the Parquet file's
SHA-256, so a truncated or corrupted file is detected, reported (:class:`CacheWarning`),
deleted and rebuilt. ``cache_dir=False`` switches it off for one call, ``CEASEFIRE_CACHE=off``
in the environment for every call.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import threading
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd

from analysis import paths
from analysis.sources.columns import share_attrs

CACHE_DIR_NAME = ".cache"
HASH_CHUNK_BYTES = 4 * 1024 * 1024
CACHE_DISABLED = False
"""Pass as ``cache_dir`` to parse without reading or writing the cache."""
CACHE_ENV = "CEASEFIRE_CACHE"
OFF_VALUES = ("off", "0", "false", "no")
ON_VALUES = ("on", "1", "true", "yes")
"""Values of :data:`CACHE_ENV`: ``CEASEFIRE_CACHE=off`` switches the cache off everywhere."""
TABLE_SUFFIX = ".parquet"
MANIFEST_SUFFIX = ".attrs.json"
MANIFEST_FORMAT = 2
"""Version of the manifest layout; entries of another format are rebuilt."""


class CacheWarning(UserWarning):
    """A cache entry was unusable (truncated, corrupted, incomplete) and has been rebuilt."""


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


def cache_enabled() -> bool:
    """Whether the environment allows the cache: ``CEASEFIRE_CACHE=off`` switches it off.

    Returns
    -------
    bool
        False when :data:`CACHE_ENV` is one of :data:`OFF_VALUES`, True when it is unset,
        empty or one of :data:`ON_VALUES`.

    Raises
    ------
    ValueError
        For any other value, naming the variable and the accepted values (a typo must not
        silently leave the cache on).
    """
    value = os.environ.get(CACHE_ENV, "").strip().lower()
    if value in OFF_VALUES:
        return False
    if value in ("", *ON_VALUES):
        return True
    raise ValueError(
        f"environment variable {CACHE_ENV}={os.environ[CACHE_ENV]!r} not understood; "
        f"use one of {list(OFF_VALUES)} to switch the cache off or {list(ON_VALUES)} for on"
    )


def cached_frame(
    kind: str,
    version: str,
    inputs: Sequence[PathLike],
    build: Callable[[], pd.DataFrame],
    cache_dir: PathLike | bool | None = None,
) -> pd.DataFrame:
    """Return ``build()``'s table, reusing a Parquet copy when the inputs are unchanged.

    ``cache_dir`` None uses :func:`default_cache_dir`; ``False`` (:data:`CACHE_DISABLED`)
    skips the cache, as does ``CEASEFIRE_CACHE=off`` in the environment
    (:func:`cache_enabled`). Each entry is a Parquet file plus a JSON manifest holding the
    Parquet file's SHA-256, its row count and ``DataFrame.attrs`` (e.g. a loader's report of
    dropped rows; Parquet metadata is not meant for them). An entry that is incomplete,
    truncated, corrupted or written by another cache format is never used: a
    :class:`CacheWarning` names the file, the entry is deleted and the table rebuilt.

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
    if cache_dir is False or not cache_enabled():
        return build()
    folder = Path(cache_dir) if cache_dir else default_cache_dir()
    key = cache_key(kind, version, inputs)
    table_path = folder / f"{key}{TABLE_SUFFIX}"
    manifest_path = folder / f"{key}{MANIFEST_SUFFIX}"
    _wait_for(table_path)
    cached = _read_entry(table_path, manifest_path)
    if cached is not None:
        return cached
    frame = build()
    # The caller gets the table now; the Parquet copy is written by a background thread from
    # a snapshot (arrow-backed columns make the copy nearly free), so a first, cold load
    # costs no more than parsing. Python waits for the thread before exiting.
    snapshot = frame.copy(deep=True)
    snapshot.attrs = dict(frame.attrs)
    writer = threading.Thread(
        target=_write_cache, args=(snapshot, table_path, manifest_path), name=f"cache-{key}"
    )
    with _pending_lock:
        _pending_writes[table_path] = writer
    writer.start()
    return frame


class _BrokenEntry(Exception):
    """A cache entry that must not be used; the message says why."""


def _read_entry(table_path: Path, manifest_path: Path) -> pd.DataFrame | None:
    """The cached table, or None when there is no usable entry (a broken one is reported
    with a :class:`CacheWarning` and deleted)."""
    if not table_path.exists() and not manifest_path.exists():
        return None
    try:
        if not table_path.is_file() or not manifest_path.is_file():
            raise _BrokenEntry("incomplete entry (the Parquet file or its manifest is missing)")
        manifest = _read_manifest(manifest_path)
        if file_sha256(table_path) != manifest["parquet_sha256"]:
            raise _BrokenEntry("checksum mismatch: the file is truncated or was changed")
        frame = pd.read_parquet(table_path)
        if len(frame) != manifest["rows"]:
            raise _BrokenEntry(f"{len(frame)} rows where the manifest records {manifest['rows']}")
    # Whatever goes wrong reading a cache entry (OS errors, Arrow/Parquet errors, a damaged
    # manifest) must cost a re-parse, never the run.
    except Exception as exc:
        reason = str(exc) if isinstance(exc, _BrokenEntry) else f"{type(exc).__name__}: {exc}"
        _discard(table_path, manifest_path, reason)
        return None
    frame.attrs = share_attrs(manifest["attrs"])
    return frame


def _read_manifest(manifest_path: Path) -> dict:
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    if not isinstance(manifest, dict) or manifest.get("format") != MANIFEST_FORMAT:
        raise _BrokenEntry(
            f"manifest {manifest_path.name} is not a cache manifest of format {MANIFEST_FORMAT} "
            "(damaged, or written by an older version)"
        )
    if not isinstance(manifest.get("parquet_sha256"), str) or not isinstance(
        manifest.get("rows"), int
    ):
        raise _BrokenEntry(f"manifest {manifest_path.name} lacks the checksum or row count")
    if not isinstance(manifest.get("attrs"), dict):
        raise _BrokenEntry(f"manifest {manifest_path.name} lacks the table's attrs")
    return manifest


def _discard(table_path: Path, manifest_path: Path, reason: str) -> None:
    warnings.warn(
        f"cache file {table_path} is not usable ({reason}); deleted it and rebuilt the table "
        f"from the source file",
        CacheWarning,
        stacklevel=4,
    )
    # A file that cannot be deleted stays; it is detected and skipped again next time.
    _remove_quietly(table_path, manifest_path)


def _remove_quietly(*files: Path) -> None:
    for path in files:
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)


def _write_cache(frame: pd.DataFrame, table_path: Path, manifest_path: Path) -> None:
    """Write a cache entry under temporary names and rename them into place, so an
    interrupted write never leaves a truncated file that a later run would trust; the
    manifest, written last, records the Parquet file's checksum."""
    # Unique temporary names: two processes caching the same file must not interleave.
    unique = f".{os.getpid()}-{threading.get_ident()}.tmp"
    tmp_table = table_path.with_name(table_path.name + unique)
    tmp_manifest = manifest_path.with_name(manifest_path.name + unique)
    try:
        table_path.parent.mkdir(parents=True, exist_ok=True)
        frame.to_parquet(tmp_table, index=False)
        manifest = {
            "format": MANIFEST_FORMAT,
            "parquet_sha256": file_sha256(tmp_table),
            "rows": len(frame),
            "attrs": frame.attrs,
        }
        tmp_manifest.write_text(json.dumps(manifest, default=str, indent=1), encoding="utf-8")
        os.replace(tmp_table, table_path)
        os.replace(tmp_manifest, manifest_path)
    except OSError:
        # A cache that cannot be written (read-only or full disk, a file in the folder's
        # place) only costs a re-parse.
        _remove_quietly(tmp_table, tmp_manifest)


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
    for pattern in (f"*{TABLE_SUFFIX}", f"*{MANIFEST_SUFFIX}", "*.tmp"):
        for path in folder.glob(pattern):
            path.unlink()
            removed += 1
    return removed
