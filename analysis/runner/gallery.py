"""The front page and gallery: ``reports/index.html``.

At the top, the project's three questions, each with the findings of the reports that answer
it and links to them; below, one card per report (its finding and at most four labelled
numbers, never raw result keys), failures listed apart. Owns reading the job manifests back
into cards (:func:`collect_cards`), the numbers a card shows (:func:`card_numbers`) and
rendering with Jinja2 (autoescape on, so text from data or parameters is never markup).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from analysis.finding_base import QUESTIONS
from analysis.runner.manifest import MANIFEST, now_iso
from analysis.runner.publish import (
    FAILED_DIR,
    TEMPLATES_DIR,
    THUMBNAIL,
    display_value,
    finding_context,
    write_text,
)

INDEX_TEMPLATE = "index.html.j2"
OTHER_QUESTION = -1
"""Cards whose report recorded no finding (older reports, fixtures) are listed apart."""


def card_numbers(results: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The labelled numbers a gallery card shows: the finding's, never raw result keys.

    Parameters
    ----------
    results : Mapping
        A job's recorded results (``key_numbers`` from :mod:`analysis.findings`).

    Returns
    -------
    list of tuple
        ``(label, "value unit")`` pairs, at most four; none when no finding was recorded
        (the full numbers stay in the report and its manifest).
    """
    return [
        (label, f"{value} {unit}".strip())
        for label, value, unit in finding_context(results)["numbers"]
    ]


_JINJA = Environment(
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
    question = results.get("finding_question")
    return {
        "job": manifest.get("job", folder.name),
        "title": manifest.get("title", folder.name),
        "notebook": manifest.get("notebook", ""),
        "status": manifest.get("status", "unknown"),
        "error": manifest.get("error"),
        "parameters": [
            (str(k), display_value(v)) for k, v in manifest.get("parameters", {}).items()
        ],
        "finding": finding_context(results)["text"],
        "question": question if isinstance(question, int) else OTHER_QUESTION,
        "key_numbers": card_numbers(results),
        "n_results": len(results),
        "finished": manifest.get("finished_at", ""),
        "html": f"{rel}/{files['html']}" if files.get("html") else None,
        "ipynb": f"{rel}/{files['ipynb']}" if files.get("ipynb") else None,
        "thumbnail": f"{rel}/{THUMBNAIL}" if thumb.is_file() else None,
    }


def collect_cards(reports_root: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Cards for published reports and for failed jobs kept under ``_failed/``.

    Parameters
    ----------
    reports_root : Path
        The reports folder.

    Returns
    -------
    tuple of list
        Published cards and failed cards, each sorted by folder name.
    """
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
    """Write ``reports/index.html``: a gallery card per report, failures listed apart.

    Parameters
    ----------
    reports_root : Path
        The reports folder.
    run : Mapping, optional
        The run manifest (counts and times shown at the top).

    Returns
    -------
    Path
        The index file (written atomically).
    """
    published, failed = collect_cards(reports_root)
    failed_names = {card["job"] for card in failed}
    for card in published:
        card["latest_failed"] = card["job"] in failed_names
    questions = [
        {
            "number": number,
            "text": text,
            "cards": [card for card in published if card["question"] == number],
        }
        for number, text in QUESTIONS.items()
    ]
    html = _JINJA.get_template(INDEX_TEMPLATE).render(
        published=published,
        failed=failed,
        questions=questions,
        run=run or {},
        generated_at=now_iso(),
    )
    return write_text(reports_root / "index.html", html)
