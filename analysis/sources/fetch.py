"""Bulk downloads of UCDP GED and GED Candidate releases, and the daily aggregate of one country.

This module owns the download side of UCDP's public files (no token needed): the URL of a
release, a download that is checked before it is kept, and the derivation of the same daily
aggregate as the bundled ``data/ucdp/ucdp_ged_myanmar_daily.csv`` for a chosen country.

Run it as a command::

    python -m analysis.sources.fetch ged --version 26.1 --country "Myanmar (Burma)"
    python -m analysis.sources.fetch candidate --version 25.0.12 --country "Myanmar (Burma)"

URLs, as published on https://ucdp.uu.se/downloads/ (root overridable with
$UCDP_DOWNLOAD_BASE_URL):

* GED yearly release ``26.1`` -> ``<root>/ged/ged261-csv.zip`` (a zip holding one CSV);
* Candidate monthly release ``25.0.12`` -> ``<root>/candidateged/GEDEvent_v25_0_12.csv``
  (UCDP publishes these as plain CSV files; a ``.zip`` URL given with ``--url`` is handled too).

A download goes to a temporary file in the target folder and is renamed only after every check
passed: bytes received equal Content-Length, a zip's CRCs pass ``zipfile.testzip``, the CSV
starts with the 49-column GED layout and, when known, the SHA-256 matches (``--sha256`` or the
sidecar of an earlier download). A failed or partial download leaves nothing behind. The
SHA-256, size, URL and access time go to a JSON sidecar next to the file
(:func:`analysis.sources.http.write_sidecar`). A GED zip's CSV is extracted next to it, so the
notebooks take ``source ucdp_ged`` with ``events_path`` on that CSV, or ``source ucdp_daily``
with ``events_path`` on the derived aggregate.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import os
import re
import sys
import tempfile
import urllib.error
import urllib.request
import zipfile
import zlib
from collections.abc import Sequence
from http.client import HTTPException
from pathlib import Path
from typing import Any

import pandas as pd

from analysis import contract as c
from analysis import paths
from analysis.results import Result
from analysis.sources import http, ucdp
from analysis.sources.columns import parse_dates, parse_numbers
from analysis.sources.ucdp_daily import UCDP_CITATION, load_ucdp_daily

BASE_URL_ENV = "UCDP_DOWNLOAD_BASE_URL"
DEFAULT_BASE_URL = "https://ucdp.uu.se/downloads"
GED, CANDIDATE = "ged", "candidate"
VERSION_PATTERNS = {GED: r"\d{2}\.\d", CANDIDATE: r"\d{2}\.\d{1,2}(\.\d{1,2})+"}
VERSION_EXAMPLES = {GED: "26.1", CANDIDATE: "25.0.12"}
SOURCE_BY_KIND = {GED: ucdp.GED_SOURCE, CANDIDATE: ucdp.CANDIDATE_SOURCE}
CHUNK_BYTES = 1 << 20
DAILY_KEYS = (c.UD_DATE, c.UD_ADM_1, c.UD_TYPE_OF_VIOLENCE, c.UD_SIDE_A, c.UD_SIDE_B)

EXIT_OK, EXIT_DOWNLOAD, EXIT_USAGE, EXIT_DATA = 0, 1, 2, 3

PathLike = str | os.PathLike[str]


class DownloadError(RuntimeError):
    """A download failed or did not pass its checks; nothing was kept."""


@dataclasses.dataclass(frozen=True)
class FetchedRelease(Result):
    """What :func:`fetch_release` left on disk.

    Attributes
    ----------
    kind, version : str
        'ged' or 'candidate', and the release, e.g. '26.1'.
    url : str
        Where it came from.
    download, csv_path : pathlib.Path
        The file as downloaded (zip or CSV) and the GED-layout CSV (the same file for a CSV).
    size_bytes : int
        Size of the download.
    sha256 : str
        Its SHA-256 (hex).
    downloaded : bool
        False when a complete earlier download was reused.
    daily_path : pathlib.Path or None
        The derived daily aggregate, when a country was given.
    daily_rows, daily_events : int
        Cells and events of that aggregate (0 without a country).
    """

    kind: str
    version: str
    url: str
    download: Path
    csv_path: Path
    size_bytes: int
    sha256: str
    downloaded: bool
    daily_path: Path | None = None
    daily_rows: int = 0
    daily_events: int = 0


def release_url(kind: str, version: str, base_url: str | None = None) -> str:
    """The public download URL of a GED or Candidate release.

    Parameters
    ----------
    kind : {'ged', 'candidate'}
        GED yearly release or GED Candidate monthly release.
    version : str
        E.g. '26.1' (GED) or '25.0.12' (Candidate).
    base_url : str, optional
        Download root; default $UCDP_DOWNLOAD_BASE_URL, else https://ucdp.uu.se/downloads.

    Returns
    -------
    str
        The URL of the file.
    """
    if kind not in VERSION_PATTERNS:
        raise ValueError(f"kind must be {GED!r} or {CANDIDATE!r}, got {kind!r}")
    if not re.fullmatch(VERSION_PATTERNS[kind], version or ""):
        raise ValueError(
            f"{kind} version {version!r} is not a UCDP version such as {VERSION_EXAMPLES[kind]!r}"
        )
    root = (base_url or os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL).rstrip("/")
    if kind == GED:
        return f"{root}/ged/ged{version.replace('.', '')}-csv.zip"
    return f"{root}/candidateged/GEDEvent_v{version.replace('.', '_')}.csv"


def file_sha256(path: Path) -> str:
    """SHA-256 of a file, read in chunks.

    Parameters
    ----------
    path : pathlib.Path
        The file.

    Returns
    -------
    str
        The hex digest.
    """
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK_BYTES), b""):
            digest.update(chunk)
    return digest.hexdigest()


def download_checked(
    url: str, target: Path, expected_sha256: str | None = None, timeout: float = 120
) -> tuple[int, str]:
    """Download ``url`` to ``target``, keeping it only if complete and intact.

    The bytes go to a temporary file beside ``target``; it replaces ``target`` only when the
    byte count equals Content-Length, the content passes :func:`check_content` and the SHA-256
    equals ``expected_sha256`` (when given). On any failure the temporary file is removed and
    ``target`` is left as it was.

    Parameters
    ----------
    url : str
        What to download.
    target : pathlib.Path
        Where to keep it.
    expected_sha256 : str, optional
        The checksum the file must have.
    timeout : float, optional
        Seconds to wait on the connection.

    Returns
    -------
    size : int
        Bytes kept.
    sha256 : str
        Their SHA-256.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    descriptor, name = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=".part"
    )
    tmp = Path(name)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            size, digest = _stream(url, handle, timeout)
        check_content(tmp, url)
        if expected_sha256 and digest != expected_sha256.lower():
            raise DownloadError(
                f"{http.safe_url(url)}: SHA-256 {digest} differs from the expected "
                f"{expected_sha256.lower()}; the file was not kept"
            )
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return size, digest


def _stream(url: str, handle: Any, timeout: float) -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"User-Agent": http.USER_AGENT})
    digest, size = hashlib.sha256(), 0
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            announced = response.headers.get("Content-Length")
            while chunk := response.read(CHUNK_BYTES):
                handle.write(chunk)
                digest.update(chunk)
                size += len(chunk)
    except urllib.error.HTTPError as exc:
        raise DownloadError(
            f"{http.safe_url(url)} answered HTTP {exc.code} ({exc.reason})"
        ) from None
    except (OSError, HTTPException) as exc:
        # IncompleteRead, a reset connection or a timeout: the server stopped half-way.
        raise DownloadError(
            f"download of {http.safe_url(url)} broke off after {size:,} bytes "
            f"({type(exc).__name__}: {exc}); nothing was kept, run the command again"
        ) from None
    if announced is not None and size != int(announced):
        raise DownloadError(
            f"download of {http.safe_url(url)} is incomplete: {size:,} of {int(announced):,} "
            "bytes received; nothing was kept, run the command again"
        )
    return size, digest.hexdigest()


def check_content(path: Path, url: str = "") -> None:
    """Raise DownloadError unless ``path`` is an intact zip holding one CSV, or a GED CSV.

    Parameters
    ----------
    path : pathlib.Path
        The downloaded file.
    url : str, optional
        Its origin, for the message.

    Returns
    -------
    None
    """
    where = http.safe_url(url) if url else str(path)
    if zipfile.is_zipfile(path):
        zip_member(path, where)
        return
    if url.lower().endswith(".zip"):
        raise DownloadError(f"{where} is not a valid zip file (damaged download); not kept")
    try:
        ucdp.has_header(path)
    except c.DataContractError as exc:
        raise DownloadError(f"{where} is not a GED/Candidate CSV: {exc.problem}") from None


def zip_member(path: Path, where: str = "") -> str:
    """The one CSV inside a GED zip, after checking every member's CRC.

    Parameters
    ----------
    path : pathlib.Path
        The zip file.
    where : str, optional
        Name for messages (default the path).

    Returns
    -------
    str
        The CSV member's name inside the zip.
    """
    where = where or str(path)
    try:
        with zipfile.ZipFile(path) as archive:
            damaged = archive.testzip()
            members = [n for n in archive.namelist() if n.lower().endswith(".csv")]
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
        raise DownloadError(f"{where} is a damaged zip ({exc}); not kept") from None
    if damaged is not None:
        raise DownloadError(f"{where}: member {damaged!r} fails its CRC check (damaged); not kept")
    if len(members) != 1:
        raise DownloadError(f"{where} should hold exactly one CSV, found {members}; not kept")
    return members[0]


def extract_csv(zip_path: Path, out_dir: Path) -> Path:
    """Extract the zip's CSV into ``out_dir`` (flat, atomically) and return its path.

    Parameters
    ----------
    zip_path : pathlib.Path
        A checked GED zip.
    out_dir : pathlib.Path
        Destination folder.

    Returns
    -------
    pathlib.Path
        The extracted CSV.
    """
    member = zip_member(zip_path)
    target = out_dir / Path(member).name
    tmp = target.with_name(f".{target.name}.part")
    try:
        with (
            zipfile.ZipFile(zip_path) as archive,
            archive.open(member) as src,
            open(tmp, "wb") as dst,
        ):
            while chunk := src.read(CHUNK_BYTES):
                dst.write(chunk)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return target


def daily_aggregate(csv_path: PathLike, country: str) -> pd.DataFrame:
    """Per day x adm_1 x type_of_violence x side_a x side_b events and deaths of one country.

    The same derivation as the bundled ``data/ucdp/ucdp_ged_myanmar_daily.csv``: date is
    GED date_start (the day), adm_1 as published (blank kept as its own cell), events the
    number of GED events, deaths_best the sum of ``best``, deaths_civilians the sum of
    ``deaths_civilians``; rows sorted by the five keys.

    Parameters
    ----------
    csv_path : str or os.PathLike
        A GED or Candidate CSV (with or without header).
    country : str
        The UCDP country name, e.g. 'Myanmar (Burma)'.

    Returns
    -------
    pandas.DataFrame
        Columns date, adm_1, type_of_violence, side_a, side_b, events, deaths_best,
        deaths_civilians (``contract.UCDP_DAILY``).
    """
    path = Path(csv_path)
    raw, first_row, _ = ucdp.read_raw(path, extra_columns=("country",))
    names = raw["country"].astype("string").str.strip()
    chosen = raw[(names == country).fillna(False).to_numpy()]
    if chosen.empty:
        known = sorted(names.dropna().unique().tolist())
        raise c.DataContractError(
            path,
            "country",
            [],
            f"no events for country {country!r}; countries in the file: {known}",
        )
    days = chosen["date_start"].astype("string").str.slice(0, ucdp.DATE_LENGTH).astype("category")
    frame = pd.DataFrame(
        {
            c.UD_DATE: parse_dates(days, path, first_row, column="date_start"),
            c.UD_ADM_1: chosen["adm_1"].astype("string"),
            c.UD_TYPE_OF_VIOLENCE: parse_numbers(
                chosen["type_of_violence"], path, first_row, "type_of_violence", True, False, 1, 3
            ),
            c.UD_SIDE_A: chosen["side_a"].astype("string"),
            c.UD_SIDE_B: chosen["side_b"].astype("string"),
            c.UD_DEATHS_BEST: parse_numbers(
                chosen["best"], path, first_row, "best", True, False, 0
            ),
            c.UD_DEATHS_CIVILIANS: parse_numbers(
                chosen["deaths_civilians"], path, first_row, "deaths_civilians", True, False, 0
            ),
        }
    )
    grouped = frame.groupby(list(DAILY_KEYS), dropna=False, sort=True)
    daily = grouped.agg(
        events=(c.UD_DATE, "size"),
        deaths_best=(c.UD_DEATHS_BEST, "sum"),
        deaths_civilians=(c.UD_DEATHS_CIVILIANS, "sum"),
    ).reset_index()
    # The bundled file's row order: day, then adm_1 (blank first), side_a, side_b, type.
    order = [c.UD_DATE, c.UD_ADM_1, c.UD_SIDE_A, c.UD_SIDE_B, c.UD_TYPE_OF_VIOLENCE]
    daily = daily.sort_values(order, kind="stable", na_position="first", ignore_index=True)
    return daily[c.UCDP_DAILY.column_names]


def country_slug(country: str) -> str:
    """A file-name part for a country: 'Myanmar (Burma)' -> 'myanmar_burma'.

    Parameters
    ----------
    country : str
        The UCDP country name.

    Returns
    -------
    str
        Lower-case letters, digits and underscores.
    """
    return re.sub(r"[^a-z0-9]+", "_", country.lower()).strip("_") or "country"


def write_daily(daily: pd.DataFrame, target: Path, meta: dict[str, Any]) -> Path:
    """Write the aggregate atomically with a sidecar, and read it back under the contract.

    Parameters
    ----------
    daily : pandas.DataFrame
        From :func:`daily_aggregate`.
    target : pathlib.Path
        Where to write it.
    meta : dict
        What to record in the sidecar (source file, checksum, country).

    Returns
    -------
    pathlib.Path
        ``target``.
    """
    out = daily.assign(**{c.UD_DATE: daily[c.UD_DATE].dt.strftime("%Y-%m-%d")})
    http.write_text_atomic(target, out.to_csv(index=False, lineterminator="\n"))
    load_ucdp_daily(target)  # the notebooks' reader must accept what was written
    http.write_sidecar(
        target,
        {**meta, "rows": len(daily), "events": int(daily[c.UD_EVENTS].sum()),
         "sha256": file_sha256(target), "derived_utc": http.access_timestamp(),
         "derivation": "GED events per date_start day x adm_1 x type_of_violence x side_a x "
         "side_b: events = count, deaths_best = sum(best), deaths_civilians = "
         "sum(deaths_civilians)", "citation": UCDP_CITATION},
        [],
    )  # fmt: skip
    return target


def fetch_release(
    kind: str,
    version: str,
    country: str | None = None,
    out_dir: PathLike | None = None,
    base_url: str | None = None,
    url: str | None = None,
    sha256: str | None = None,
    force: bool = False,
    timeout: float = 120,
) -> FetchedRelease:
    """Download a GED or Candidate release (unless a complete copy is there) and derive the
    daily aggregate of ``country``.

    An existing file is reused when its SHA-256 equals its sidecar's (and ``sha256``, when
    given); one that does not match is reported on stderr and downloaded again. ``force``
    always downloads again.

    Parameters
    ----------
    kind : {'ged', 'candidate'}
        GED yearly or Candidate monthly release.
    version : str
        E.g. '26.1' or '25.0.12'.
    country : str, optional
        UCDP country name whose daily aggregate to derive, e.g. 'Myanmar (Burma)'.
    out_dir : str or os.PathLike, optional
        Folder for the files; default ``data/raw/ucdp``.
    base_url : str, optional
        Download root (see :func:`release_url`).
    url : str, optional
        The exact file URL, overriding ``base_url``.
    sha256 : str, optional
        Expected SHA-256 of the download.
    force : bool, default False
        Download even if a complete copy exists.
    timeout : float, optional
        Seconds to wait on the connection.

    Returns
    -------
    FetchedRelease
        Paths, size, checksum and the aggregate's size.
    """
    source_url = url or release_url(kind, version, base_url)
    folder = Path(out_dir) if out_dir else paths.raw_dir() / "ucdp"
    target = folder / Path(source_url.split("?")[0]).name
    reuse = not force and target.is_file() and _still_complete(target, sha256)
    if reuse:
        size, digest = target.stat().st_size, http.read_sidecar(target)["sha256"]
    else:
        size, digest = download_checked(source_url, target, sha256, timeout)
        http.write_sidecar(
            target,
            {"source": "UCDP downloads", "kind": kind, "version": version,
             "url": http.safe_url(source_url), "accessed_utc": http.access_timestamp(),
             "size_bytes": size, "sha256": digest, "citation": UCDP_CITATION},
            [],
        )  # fmt: skip
    csv_path = target
    if zipfile.is_zipfile(target):
        csv_path = folder / Path(zip_member(target)).name
        if not reuse or not csv_path.is_file():
            extract_csv(target, folder)
    fetched = FetchedRelease(kind, version, source_url, target, csv_path, size, digest, not reuse)
    if not country:
        return fetched
    daily = daily_aggregate(csv_path, country)
    stem = f"ucdp_{kind}_{version.replace('.', '')}_{country_slug(country)}_daily.csv"
    daily_path = write_daily(
        daily,
        folder / stem,
        {"source_file": csv_path.name, "source_sha256": digest, "download": target.name,
         "kind": kind, "version": version, "country": country},
    )  # fmt: skip
    return dataclasses.replace(
        fetched,
        daily_path=daily_path,
        daily_rows=len(daily),
        daily_events=int(daily[c.UD_EVENTS].sum()),
    )


def _still_complete(target: Path, expected: str | None) -> bool:
    """True when the file matches its sidecar's SHA-256 (and ``expected``); says why not."""
    try:
        recorded = http.read_sidecar(target).get("sha256")
    except (OSError, ValueError):
        recorded = None
    actual = file_sha256(target)
    if recorded == actual and (not expected or expected.lower() == actual):
        return True
    why = "has no sidecar checksum" if recorded is None else "does not match its checksum"
    print(f"{target} {why}; downloading it again", file=sys.stderr)
    return False


def build_parser() -> argparse.ArgumentParser:
    """The command line of ``python -m analysis.sources.fetch``.

    Returns
    -------
    argparse.ArgumentParser
        The parser.
    """
    parser = argparse.ArgumentParser(
        prog="python -m analysis.sources.fetch",
        description="Download a UCDP GED (yearly) or GED Candidate (monthly) release from "
        f"UCDP's public downloads ({DEFAULT_BASE_URL}, or ${BASE_URL_ENV}) into data/raw/ucdp/, "
        "check it, and optionally derive one country's daily aggregate.",
    )
    parser.add_argument("kind", choices=(GED, CANDIDATE), help="GED release or Candidate release")
    parser.add_argument("--version", required=True, help="e.g. 26.1 (ged) or 25.0.12 (candidate)")
    parser.add_argument("--country", help='UCDP country name, e.g. "Myanmar (Burma)"')
    parser.add_argument("--sha256", help="expected SHA-256 of the download")
    parser.add_argument("--force", action="store_true", help="download even if already complete")
    parser.add_argument("--out-dir", help="target folder (default data/raw/ucdp)")
    parser.add_argument("--base-url", help=f"download root (default ${BASE_URL_ENV} or UCDP's)")
    parser.add_argument("--url", help="exact file URL (overrides --base-url)")
    parser.add_argument("--timeout", type=float, default=120, help="seconds (default 120)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; print where the files went with their sizes and SHA-256.

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments (default ``sys.argv[1:]``).

    Returns
    -------
    int
        0 on success, 1 when the download failed its checks, 2 for bad arguments, 3 when the
        file is not usable GED data (e.g. the country has no events).
    """
    args = build_parser().parse_args(argv)
    try:
        fetched = fetch_release(
            args.kind, args.version, args.country, args.out_dir, args.base_url, args.url,
            args.sha256, args.force, args.timeout,
        )  # fmt: skip
    except DownloadError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_DOWNLOAD
    except c.DataContractError as exc:  # a ValueError too, so caught first
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_DATA
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    action = "downloaded" if fetched.downloaded else "already complete, kept"
    print(f"{action}: {fetched.download} ({fetched.size_bytes:,} bytes, sha256 {fetched.sha256})")
    if fetched.csv_path != fetched.download:
        print(f"csv: {fetched.csv_path} ({fetched.csv_path.stat().st_size:,} bytes)")
    source = SOURCE_BY_KIND[args.kind]
    print(f"notebooks: -p source {source} -p events_path {fetched.csv_path}")
    if fetched.daily_path is not None:
        print(
            f"daily aggregate: {fetched.daily_path} ({fetched.daily_rows:,} rows, "
            f"{fetched.daily_events:,} events, sha256 {file_sha256(fetched.daily_path)})"
        )
        print(f"notebooks: -p source ucdp_daily -p events_path {fetched.daily_path}")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
