"""Turn an executed notebook into shareable files and publish them atomically.

Owns the HTML export (in-process nbconvert, no subprocess per notebook, from a template that
loads nothing from the network, so a report opens offline from an e-mail attachment; the
footer escapes every value it prints; the recorded finding stands at the top, figures carry
alt text), thumbnails, atomic writes of shared files with local paths made relative
(:func:`write_text`, :func:`localise_notebook`), publishing a job's folder under
``reports/`` by renames only (:func:`staging_dir`, :func:`swap_in`,
:func:`recover_interrupted` after a killed run), and the lock that keeps a second run out
of the folder while one is writing (:func:`reports_lock`).
"""

from __future__ import annotations

import base64
import contextlib
import copy
import fcntl
import io
import json
import os
import re
import shutil
import sys
import uuid
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from analysis.finding_base import MAX_NUMBERS as MAX_KEY_NUMBERS
from analysis.finding_base import number_text
from analysis.runner.manifest import localise, now_iso

if TYPE_CHECKING:  # nbformat and nbconvert take seconds to import; see _exporter
    import nbformat
    from nbconvert import HTMLExporter

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
REPORT_TEMPLATE = "ceasefire_report"
FAILED_DIR = "_failed"
THUMBNAIL = "thumbnail.png"
TMP_PREFIX = ".tmp-"
OLD_PREFIX = ".old-"
ACLED_KEY = "acled_attribution"
ACLED_TERMS_URL = "https://acleddata.com/terms-of-use/"
FINDING_KEY = "finding"
KEY_NUMBERS_KEY = "key_numbers"
LOCK_FILE = ".runner.lock"


# --- Notebook inspection -------------------------------------------------------------------

_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(?P<title>.+?)\s*#*\s*$", re.MULTILINE)


def notebook_title(nb: nbformat.NotebookNode, fallback: str) -> str:
    """The text of the first markdown heading, else ``fallback``.

    Parameters
    ----------
    nb : NotebookNode
        An (executed) notebook.
    fallback : str
        What to return when no markdown cell has a heading.

    Returns
    -------
    str
        The title.
    """
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            match = _HEADING.search(cell.source)
            if match:
                return match.group("title")
    return fallback


def first_png(nb: nbformat.NotebookNode) -> bytes | None:
    """The bytes of the first ``image/png`` output of a notebook, if any.

    Parameters
    ----------
    nb : NotebookNode
        An executed notebook.

    Returns
    -------
    bytes or None
        The decoded PNG, or None when no output has one.
    """
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "image/png" in data:
                payload = data["image/png"]
                text = "".join(payload) if isinstance(payload, list) else payload
                return base64.b64decode(text)
    return None


def write_thumbnail(png: bytes, path: Path, width: int = 480) -> Path:
    """Write a small copy of a figure for the index card (keeps index.html light).

    Parameters
    ----------
    png : bytes
        The figure.
    path : Path
        Where to write the thumbnail.
    width : int
        Largest width in pixels; narrower figures keep their size.

    Returns
    -------
    Path
        ``path``.
    """
    from PIL import Image  # matplotlib dependency; imported late to keep start-up cheap

    with Image.open(io.BytesIO(png)) as image:
        if image.width > width:
            height = max(1, round(image.height * width / image.width))
            image = image.resize((width, height))
        image.save(path, format="PNG", optimize=True)
    return path


# --- HTML export ---------------------------------------------------------------------------

_EXPORTERS: dict[bool, HTMLExporter] = {}


def _exporter(show_code: bool) -> HTMLExporter:
    """One HTMLExporter per setting per process: template loading is the slow part."""
    # imported here: a rerun with nothing to do exports nothing, and importing nbconvert (with
    # nbformat and jsonschema's format grammars) costs seconds
    from nbconvert import HTMLExporter

    if show_code not in _EXPORTERS:
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
    """What the report footer shows: parameters, run time and ACLED attribution if used.

    Parameters
    ----------
    parameters : Mapping
        The job's parameters.
    results : Mapping
        The notebook's recorded results (its ``acled_attribution``, if any, is shown).
    generated_at : str
        ISO time of the export.
    job_name : str
        The job's name.
    status : str
        The job's status.

    Returns
    -------
    dict
        The template's ``ceasefire_footer`` resource; every value is text.
    """
    acled = results.get(ACLED_KEY)
    if isinstance(acled, Mapping):
        acled_items = [(str(k), display_value(v)) for k, v in acled.items()]
    elif acled:
        acled_items = [("note", display_value(acled))]
    else:
        acled_items = []
    return {
        "job": job_name,
        "status": status,
        "generated_at": generated_at,
        "parameters": [(str(k), display_value(v)) for k, v in parameters.items()],
        "acled": acled_items,
        "acled_terms_url": ACLED_TERMS_URL,
    }


def display_value(value: Any) -> str:
    """A parameter or result value as short text (escaping happens in the template).

    Parameters
    ----------
    value : Any
        A JSON-like value.

    Returns
    -------
    str
        Text as is, floats to four significant digits, anything else as JSON.
    """
    if isinstance(value, str):
        return value
    if isinstance(value, float):
        # Four significant digits: cards are for reading, the full value is in the notebook.
        return f"{value:.4g}"
    return json.dumps(value, ensure_ascii=False, default=str)


def finding_context(results: Mapping[str, Any]) -> dict[str, Any]:
    """What the top of a report and its gallery card show: the finding and its numbers.

    Parameters
    ----------
    results : Mapping
        The notebook's recorded results (``finding``, ``key_numbers`` from
        :mod:`analysis.findings`).

    Returns
    -------
    dict
        ``text`` (the sentences, "" when none was recorded) and ``numbers``: at most four
        ``(label, value, unit)`` triples of text (escaping happens in the templates).
    """
    text = results.get(FINDING_KEY)
    numbers = results.get(KEY_NUMBERS_KEY)
    shown: list[tuple[str, str, str]] = []
    if isinstance(numbers, list):
        for item in numbers[:MAX_KEY_NUMBERS]:
            if isinstance(item, Mapping) and "label" in item:
                value = item.get("value")
                shown.append((str(item["label"]), number_text(value), str(item.get("unit") or "")))
    return {"text": text if isinstance(text, str) else "", "numbers": shown}


_ALT_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")


def figure_alt_texts(nb: nbformat.NotebookNode, title: str) -> None:
    """Give every figure output an alt text: the heading and first sentence before it.

    The notebooks describe each figure in the markdown cell above it, so that text is what a
    screen reader should say. Stored as ``cf_alt`` in the output's metadata (the export
    template writes it); the saved notebook is not changed.

    Parameters
    ----------
    nb : NotebookNode
        The executed notebook (changed in place).
    title : str
        Used when no markdown precedes a figure.

    Returns
    -------
    None
        Outputs with an ``image/png`` get ``metadata['cf_alt']``.
    """
    context = f"Figure of {title}"
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            lines = [line.strip() for line in cell.source.splitlines() if line.strip()]
            heading = next((_ALT_HEADING.sub("", x) for x in lines if _ALT_HEADING.match(x)), "")
            prose = next((x for x in lines if not _ALT_HEADING.match(x)), "")
            sentence = re.split(r"(?<=[.:])\s", re.sub(r"[*`]", "", prose), maxsplit=1)[0]
            context = ": ".join(part for part in (heading, sentence) if part)[:300] or context
            continue
        for output in cell.get("outputs", []):
            if "image/png" in output.get("data", {}):
                output.setdefault("metadata", {})["cf_alt"] = f"Figure. {context}"


def export_html(
    nb: nbformat.NotebookNode,
    html_path: Path,
    title: str,
    footer: Mapping[str, Any],
    show_code: bool = False,
    finding: Mapping[str, Any] | None = None,
) -> Path:
    """Render an executed notebook to a self-contained HTML file (figures inline, no CDN).

    Parameters
    ----------
    nb : NotebookNode
        The executed notebook.
    html_path : Path
        Where to write the page.
    title : str
        The page title.
    footer : Mapping
        From :func:`footer_context`.
    show_code : bool
        Keep code cells (hidden by default).
    finding : Mapping, optional
        From :func:`finding_context`: shown at the top of the page.

    Returns
    -------
    Path
        ``html_path``.
    """
    nb = copy.deepcopy(nb)
    figure_alt_texts(nb, title)
    resources = {
        "metadata": {"name": title},
        "ceasefire_footer": dict(footer),
        "ceasefire_finding": dict(finding or {}),
    }
    body, _ = _exporter(show_code).from_notebook_node(nb, resources=resources)
    return write_text(html_path, body)


def localise_notebook(ipynb: Path, published_as: str) -> None:
    """Rewrite an executed notebook so it carries no local path.

    Papermill records where it read and wrote (``metadata.papermill.input_path`` and
    ``output_path``, the latter a private staging folder); tracebacks and warnings print
    absolute paths. Both are made relative to the project (:func:`localise`).

    Parameters
    ----------
    ipynb : Path
        The executed notebook, rewritten in place.
    published_as : str
        Where the notebook will be published, relative to the project.

    Returns
    -------
    None
        The file is rewritten atomically.
    """
    nb = json.loads(localise(ipynb.read_text(encoding="utf-8")))
    papermill_meta = nb.get("metadata", {}).get("papermill")
    if isinstance(papermill_meta, dict):
        papermill_meta["output_path"] = published_as
        papermill_meta["input_path"] = localise(str(papermill_meta.get("input_path", "")))
    write_text(ipynb, json.dumps(nb, indent=1, ensure_ascii=False) + "\n")


def write_json(path: Path, payload: Mapping[str, Any]) -> Path:
    """Write JSON atomically (temporary file + rename), so readers never see half a file.

    Parameters
    ----------
    path : Path
        The target file.
    payload : Mapping
        What to write (sorted keys, indented; unknown types as text).

    Returns
    -------
    Path
        ``path``.
    """
    text = json.dumps(payload, indent=2, sort_keys=True, default=str)
    return write_text(path, text)


def write_text(path: Path, text: str) -> Path:
    """Write a shared file atomically, with local paths made relative (:func:`localise`).

    Parameters
    ----------
    path : Path
        The target file.
    text : str
        Its content.

    Returns
    -------
    Path
        ``path``.
    """
    tmp = path.with_name(f"{TMP_PREFIX}{uuid.uuid4().hex}-{path.name}")
    tmp.write_text(localise(text), encoding="utf-8")
    os.replace(tmp, path)
    return path


# --- Atomic publishing ---------------------------------------------------------------------


def staging_dir(reports_root: Path, slug: str) -> Path:
    """A fresh private folder inside reports/ where a job writes before it is published.

    It sits on the same file system as the final folder so publishing is a rename.

    Parameters
    ----------
    reports_root : Path
        The reports folder.
    slug : str
        The job's name.

    Returns
    -------
    Path
        The new, empty folder (``.tmp-<slug>-<id>``).
    """
    folder = reports_root / f"{TMP_PREFIX}{slug}-{uuid.uuid4().hex[:12]}"
    folder.mkdir(parents=True)
    return folder


def swap_in(staged: Path, final: Path) -> Path:
    """Replace ``final`` by ``staged`` with renames only; the old copy survives until then.

    The previous folder is first renamed aside (``.old-<slug>-<id>``), the new one renamed
    into place, then the old one deleted. A run killed between the two renames leaves the
    old copy under its aside name, and :func:`recover_interrupted` puts it back.

    Parameters
    ----------
    staged : Path
        The complete new folder.
    final : Path
        Where it is published.

    Returns
    -------
    Path
        ``final``.
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

    Parameters
    ----------
    reports_root : Path
        The reports folder (its ``_failed/`` is cleaned too).

    Returns
    -------
    list of str
        The names of restored reports.
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


# --- One run at a time -----------------------------------------------------------------------


class ReportsBusy(RuntimeError):
    """Another run holds the reports folder's lock (the message says which and since when)."""


@contextlib.contextmanager
def reports_lock(reports_root: Path, wait: bool = False) -> Iterator[Path]:
    """Hold the reports folder for one run, so two runs never write into it at once.

    An advisory ``flock`` on ``reports/.runner.lock``: the kernel drops it when the holder
    exits, however it exits, so a killed run never leaves a stale lock behind.

    Parameters
    ----------
    reports_root : Path
        The reports folder (created if missing).
    wait : bool
        Wait for the other run to finish instead of stopping.

    Returns
    -------
    contextlib.AbstractContextManager
        Yields the lock file's path while the lock is held.

    Raises
    ------
    ReportsBusy
        When another run holds the lock and ``wait`` is False.
    """
    reports_root.mkdir(parents=True, exist_ok=True)
    path = reports_root / LOCK_FILE
    with path.open("a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            if not wait:
                raise ReportsBusy(
                    f"another report run is writing to {localise(str(reports_root))} "
                    f"({holder}); wait for it to finish, or rerun with --wait"
                ) from None
            print(f"waiting for the other report run to finish ({holder}) ...", file=sys.stderr)
            fcntl.flock(handle, fcntl.LOCK_EX)
        handle.seek(0)
        handle.truncate()
        handle.write(f"process {os.getpid()}, started {now_iso()}\n")
        handle.flush()
        try:
            yield path
        finally:
            handle.seek(0)
            handle.truncate()
            fcntl.flock(handle, fcntl.LOCK_UN)
