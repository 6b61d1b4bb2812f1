"""Turn executed notebooks into shareable files: HTML, thumbnails, manifests and the index.

Everything here runs inside the report runner's worker processes or at the end of a run.
HTML is produced in-process with nbconvert (no subprocess per notebook) from a template that
loads nothing from the network, so a report opens offline from an e-mail attachment. Text
that comes from data or parameters is HTML-escaped: the index uses Jinja2 with autoescape on
and the report footer escapes every value it prints.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import nbformat

from analysis import paths
from analysis.results import read_results

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
REPORT_TEMPLATE = "ceasefire_report"
FAILED_DIR = "_failed"
MANIFEST = "manifest.json"
THUMBNAIL = "thumbnail.png"
TMP_PREFIX = ".tmp-"
OLD_PREFIX = ".old-"
ACLED_KEY = "acled_attribution"
ACLED_TERMS_URL = "https://acleddata.com/terms-of-use/"

VERSIONED_PACKAGES = (
    "ceasefire-analysis",
    "pandas",
    "numpy",
    "scipy",
    "statsmodels",
    "matplotlib",
    "seaborn",
    "pandera",
    "pyarrow",
    "papermill",
    "nbconvert",
    "nbclient",
    "ipykernel",
    "jupyter_client",
)
"""Packages whose versions go into every manifest (what a rerun needs to reproduce numbers)."""

DATA_SUBDIRS = ("curated", "ucdp")
"""Data folders hashed into every manifest: the inputs every notebook may read."""


def now_iso() -> str:
    """The current UTC time as an ISO-8601 string (what manifests record)."""
    return datetime.now(UTC).isoformat(timespec="seconds")


# --- Notebook inspection -------------------------------------------------------------------

_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(?P<title>.+?)\s*#*\s*$", re.MULTILINE)


def notebook_title(nb: nbformat.NotebookNode, fallback: str) -> str:
    """The text of the first markdown heading, else ``fallback``."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            match = _HEADING.search(cell.source)
            if match:
                return match.group("title")
    return fallback


def first_png(nb: nbformat.NotebookNode) -> bytes | None:
    """The bytes of the first ``image/png`` output of a notebook, if any."""
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "image/png" in data:
                payload = data["image/png"]
                text = "".join(payload) if isinstance(payload, list) else payload
                return base64.b64decode(text)
    return None


def write_thumbnail(png: bytes, path: Path, width: int = 480) -> Path:
    """Write a small copy of a figure for the index card (keeps index.html light)."""
    from PIL import Image  # matplotlib dependency; imported late to keep start-up cheap

    with Image.open(io.BytesIO(png)) as image:
        if image.width > width:
            height = max(1, round(image.height * width / image.width))
            image = image.resize((width, height))
        image.save(path, format="PNG", optimize=True)
    return path


# --- HTML export ---------------------------------------------------------------------------

_EXPORTERS: dict[bool, Any] = {}


def _exporter(show_code: bool) -> Any:
    """One HTMLExporter per setting per process: template loading is the slow part."""
    if show_code not in _EXPORTERS:
        from nbconvert import HTMLExporter

        exporter = HTMLExporter(
            template_name=REPORT_TEMPLATE,
            extra_template_basedirs=[str(TEMPLATES_DIR)],
        )
        exporter.exclude_input = not show_code
        exporter.exclude_input_prompt = True
        exporter.exclude_output_prompt = True
        exporter.embed_images = True
        _EXPORTERS[show_code] = exporter
    return _EXPORTERS[show_code]


def footer_context(
    parameters: Mapping[str, Any],
    results: Mapping[str, Any],
    generated_at: str,
    job_name: str,
    status: str = "ok",
) -> dict[str, Any]:
    """What the report footer shows: parameters, run time and ACLED attribution if used."""
    acled = results.get(ACLED_KEY)
    if isinstance(acled, Mapping):
        acled_items = [(str(k), _display(v)) for k, v in acled.items()]
    elif acled:
        acled_items = [("note", _display(acled))]
    else:
        acled_items = []
    return {
        "job": job_name,
        "status": status,
        "generated_at": generated_at,
        "parameters": [(str(k), _display(v)) for k, v in parameters.items()],
        "acled": acled_items,
        "acled_terms_url": ACLED_TERMS_URL,
    }


def _display(value: Any) -> str:
    """A parameter or result value as short text (escaping happens in the template)."""
    if isinstance(value, str):
        return value
    if isinstance(value, float):
        # Four significant digits: cards are for reading, the full value is in the notebook.
        return f"{value:.4g}"
    return json.dumps(value, ensure_ascii=False, default=str)


CARD_MAX_NUMBERS = 12
HEADLINE_KEY = "headline"
CARD_MAX_TEXT = 40


def card_numbers(
    results: Mapping[str, Any], parameter_names: Iterable[str] = ()
) -> tuple[list[tuple[str, str]], int]:
    """The key numbers a gallery card shows, and how many more the report holds.

    Long texts (notes, citations), nested values and attribution stay in the report itself so
    a card stays readable at a glance; values that merely echo a notebook parameter are left
    out because the card lists the parameters already. A notebook may record a
    ``headline`` list of result names to show first.
    """
    echoed = set(parameter_names) | {HEADLINE_KEY}
    headline = results.get(HEADLINE_KEY)
    first = [k for k in headline if k in results] if isinstance(headline, list) else []
    ordered = {key: results[key] for key in [*first, *results]}
    shown = [
        (str(key), _display(value))
        for key, value in ordered.items()
        if key != ACLED_KEY
        and key not in echoed
        and not isinstance(value, Mapping | list)
        and not (isinstance(value, str) and len(value) > CARD_MAX_TEXT)
    ]
    return shown[:CARD_MAX_NUMBERS], max(0, len(shown) - CARD_MAX_NUMBERS)


def export_html(
    nb: nbformat.NotebookNode,
    html_path: Path,
    title: str,
    footer: Mapping[str, Any],
    show_code: bool = False,
) -> Path:
    """Render an executed notebook to a self-contained HTML file (figures inline, no CDN)."""
    resources = {"metadata": {"name": title}, "ceasefire_footer": dict(footer)}
    body, _ = _exporter(show_code).from_notebook_node(nb, resources=resources)
    html_path.write_text(body, encoding="utf-8")
    return html_path


# --- Manifests -----------------------------------------------------------------------------


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file, read in chunks so large event files do not fill memory."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _display_path(path: Path) -> str:
    """Paths inside the project are recorded relative to it (manifests are shared)."""
    try:
        return path.resolve().relative_to(paths.PROJECT_ROOT).as_posix()
    except ValueError:
        return str(path)


def input_files(notebook: Path, parameters: Mapping[str, Any]) -> list[Path]:
    """Every input a job may read: its notebook, curated and UCDP data, and path parameters.

    ``data_dir`` and ``events_path`` parameters redirect where a notebook reads, so the
    folder or file they name is hashed instead of (or as well as) the defaults; they are
    resolved as the kernel resolves them (``data_dir`` from the notebook's folder,
    ``events_path`` from the project root).
    """
    chosen = parameters.get("data_dir") or None
    if chosen is not None and not Path(chosen).expanduser().is_absolute():
        # The kernel runs in the notebook's folder, so that is where a relative one starts.
        chosen = Path(notebook).parent / Path(chosen).expanduser()
    data_root = paths.data_dir(chosen)
    found: list[Path] = [notebook]
    for sub in DATA_SUBDIRS:
        folder = data_root / sub
        if folder.is_dir():
            found.extend(p for p in sorted(folder.rglob("*")) if p.is_file())
    events_path = parameters.get("events_path")
    if isinstance(events_path, str) and events_path:
        candidate = paths.resolve_user_path(events_path)
        if candidate.is_file():
            found.append(candidate)
    return found


def hash_inputs(files: Iterable[Path]) -> dict[str, str]:
    """SHA-256 per input file, keyed by project-relative path."""
    return {_display_path(p): sha256_file(p) for p in files}


def package_versions(names: Iterable[str] = VERSIONED_PACKAGES) -> dict[str, str | None]:
    """Installed versions of the packages that shape results (None when not installed)."""
    versions: dict[str, str | None] = {"python": platform.python_version()}
    for name in names:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def git_commit(root: Path = paths.PROJECT_ROOT) -> str | None:
    """The checked-out commit (with '+dirty' when files differ), or None outside git."""
    try:
        head = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return f"{head}+dirty" if dirty else head


def seeds(parameters: Mapping[str, Any]) -> dict[str, Any]:
    """Parameters that seed random numbers (any name containing 'seed')."""
    return {k: v for k, v in parameters.items() if "seed" in k.lower()}


def write_json(path: Path, payload: Mapping[str, Any]) -> Path:
    """Write JSON atomically (temporary file + rename), so readers never see half a file."""
    tmp = path.with_name(f"{TMP_PREFIX}{uuid.uuid4().hex}-{path.name}")
    tmp.write_text(json.dumps(payload, indent=2, sort_keys=True, default=str), encoding="utf-8")
    os.replace(tmp, path)
    return path


# --- Atomic publishing ---------------------------------------------------------------------


def staging_dir(reports_root: Path, slug: str) -> Path:
    """A fresh private folder inside reports/ where a job writes before it is published.

    It sits on the same file system as the final folder so publishing is a rename.
    """
    folder = reports_root / f"{TMP_PREFIX}{slug}-{uuid.uuid4().hex[:12]}"
    folder.mkdir(parents=True)
    return folder


def swap_in(staged: Path, final: Path) -> Path:
    """Replace ``final`` by ``staged`` with renames only; the old copy survives until then.

    The previous folder is first renamed aside (``.old-<slug>-<id>``), the new one renamed
    into place, then the old one deleted. A run killed between the two renames leaves the
    old copy under its aside name, and :func:`recover_interrupted` puts it back.
    """
    final.parent.mkdir(parents=True, exist_ok=True)
    aside: Path | None = None
    if final.exists():
        aside = final.parent / f"{OLD_PREFIX}{final.name}-{uuid.uuid4().hex[:12]}"
        os.replace(final, aside)
    try:
        os.replace(staged, final)
    except OSError:
        if aside is not None:
            os.replace(aside, final)
        raise
    if aside is not None:
        shutil.rmtree(aside, ignore_errors=True)
    return final


def recover_interrupted(reports_root: Path) -> list[str]:
    """Clean up after a killed run: restore copies renamed aside, drop staging folders.

    Returns the names of restored reports.
    """
    restored: list[str] = []
    for parent in (reports_root, reports_root / FAILED_DIR):
        if not parent.is_dir():
            continue
        for entry in sorted(parent.iterdir()):
            if entry.name.startswith(OLD_PREFIX) and entry.is_dir():
                name = entry.name[len(OLD_PREFIX) :].rsplit("-", 1)[0]
                target = parent / name
                if target.exists():
                    shutil.rmtree(entry, ignore_errors=True)
                else:
                    os.replace(entry, target)
                    restored.append(name)
            elif entry.name.startswith(TMP_PREFIX):
                if entry.is_dir():
                    shutil.rmtree(entry, ignore_errors=True)
                else:
                    entry.unlink(missing_ok=True)
    return restored


# --- Index ---------------------------------------------------------------------------------


def _jinja_env() -> Any:
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    return Environment(
        loader=FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=select_autoescape(default=True, default_for_string=True),
    )


def _read_manifest(folder: Path) -> dict[str, Any] | None:
    try:
        return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _card(folder: Path, manifest: Mapping[str, Any], reports_root: Path) -> dict[str, Any]:
    """What one index card shows, with links relative to index.html."""
    rel = folder.relative_to(reports_root).as_posix()
    files = manifest.get("files", {})
    thumb = folder / THUMBNAIL
    results = manifest.get("results", {})
    key_numbers, more_numbers = card_numbers(
        results, manifest.get("effective_parameters", manifest.get("parameters", {}))
    )
    return {
        "job": manifest.get("job", folder.name),
        "title": manifest.get("title", folder.name),
        "notebook": manifest.get("notebook", ""),
        "status": manifest.get("status", "unknown"),
        "error": manifest.get("error"),
        "parameters": [(str(k), _display(v)) for k, v in manifest.get("parameters", {}).items()],
        "key_numbers": key_numbers,
        "more_numbers": more_numbers,
        "finished": manifest.get("finished_at", ""),
        "html": f"{rel}/{files['html']}" if files.get("html") else None,
        "ipynb": f"{rel}/{files['ipynb']}" if files.get("ipynb") else None,
        "thumbnail": f"{rel}/{THUMBNAIL}" if thumb.is_file() else None,
    }


def collect_cards(reports_root: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Cards for published reports and for failed jobs kept under ``_failed/``."""
    published: list[dict[str, Any]] = []
    failed: list[dict[str, Any]] = []
    for parent, bucket in ((reports_root, published), (reports_root / FAILED_DIR, failed)):
        if not parent.is_dir():
            continue
        for folder in sorted(parent.iterdir()):
            if not folder.is_dir() or folder.name.startswith((".", "_")):
                continue
            manifest = _read_manifest(folder)
            if manifest is not None:
                bucket.append(_card(folder, manifest, reports_root))
    return published, failed


def build_index(reports_root: Path, run: Mapping[str, Any] | None = None) -> Path:
    """Write ``reports/index.html``: a gallery card per report, failures listed apart."""
    published, failed = collect_cards(reports_root)
    failed_names = {card["job"] for card in failed}
    for card in published:
        card["latest_failed"] = card["job"] in failed_names
    html = (
        _jinja_env()
        .get_template("index.html.j2")
        .render(published=published, failed=failed, run=run or {}, generated_at=now_iso())
    )
    target = reports_root / "index.html"
    tmp = reports_root / f"{TMP_PREFIX}index-{uuid.uuid4().hex}.html"
    tmp.write_text(html, encoding="utf-8")
    os.replace(tmp, target)
    return target


def job_manifest(
    job_name: str,
    notebook: Path,
    parameters: Mapping[str, Any],
    defaults: Mapping[str, Any],
    status: str,
    started_at: str,
    finished_at: str,
    files: Mapping[str, str],
    title: str,
    results: Mapping[str, Any],
    error: str | None = None,
) -> dict[str, Any]:
    """The manifest of one job: enough to tell exactly what produced a report.

    ``parameters`` are the values the run file set; ``effective_parameters`` adds the
    notebook's defaults for everything else (seeds are taken from the effective values).
    """
    effective = {**defaults, **parameters}
    return {
        "job": job_name,
        "title": title,
        "notebook": _display_path(notebook),
        "parameters": dict(parameters),
        "effective_parameters": effective,
        "seeds": seeds(effective),
        "status": status,
        "error": error,
        "started_at": started_at,
        "finished_at": finished_at,
        "inputs_sha256": hash_inputs(input_files(notebook, effective)),
        "packages": package_versions(),
        "git_commit": git_commit(),
        "python_executable": sys.executable,
        "files": dict(files),
        "results": dict(results),
    }


def results_of(ipynb: Path) -> dict[str, Any]:
    """Recorded key numbers of an executed notebook (empty if it recorded none)."""
    try:
        return read_results(ipynb)
    except (OSError, ValueError):
        return {}
