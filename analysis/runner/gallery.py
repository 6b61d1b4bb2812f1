"""The gallery index: ``reports/index.html``, one card per report, failures listed apart.

Owns reading the job manifests back into cards (:func:`collect_cards`), choosing the key
numbers a card shows (:func:`card_numbers`) and rendering the index with Jinja2 (autoescape
on, so text from data or parameters is never markup).
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from analysis.runner.manifest import MANIFEST, now_iso
from analysis.runner.publish import (
    ACLED_KEY,
    FAILED_DIR,
    TEMPLATES_DIR,
    THUMBNAIL,
    TMP_PREFIX,
    display_value,
)

INDEX_TEMPLATE = "index.html.j2"
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

    Parameters
    ----------
    results : Mapping
        A job's recorded results.
    parameter_names : iterable of str
        The job's parameter names (their echoes are left out).

    Returns
    -------
    tuple
        ``(name, text)`` pairs to show (at most :data:`CARD_MAX_NUMBERS`) and the count of
        the others.
    """
    echoed = set(parameter_names) | {HEADLINE_KEY}
    headline = results.get(HEADLINE_KEY)
    first = [k for k in headline if k in results] if isinstance(headline, list) else []
    ordered = {key: results[key] for key in [*first, *results]}
    shown = [
        (str(key), display_value(value))
        for key, value in ordered.items()
        if key != ACLED_KEY
        and key not in echoed
        and not isinstance(value, Mapping | list)
        and not (isinstance(value, str) and len(value) > CARD_MAX_TEXT)
    ]
    return shown[:CARD_MAX_NUMBERS], max(0, len(shown) - CARD_MAX_NUMBERS)


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
    key_numbers, more_numbers = card_numbers(
        results, manifest.get("effective_parameters", manifest.get("parameters", {}))
    )
    return {
        "job": manifest.get("job", folder.name),
        "title": manifest.get("title", folder.name),
        "notebook": manifest.get("notebook", ""),
        "status": manifest.get("status", "unknown"),
        "error": manifest.get("error"),
        "parameters": [
            (str(k), display_value(v)) for k, v in manifest.get("parameters", {}).items()
        ],
        "key_numbers": key_numbers,
        "more_numbers": more_numbers,
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
    html = _JINJA.get_template(INDEX_TEMPLATE).render(
        published=published, failed=failed, run=run or {}, generated_at=now_iso()
    )
    target = reports_root / "index.html"
    tmp = reports_root / f"{TMP_PREFIX}index-{uuid.uuid4().hex}.html"
    tmp.write_text(html, encoding="utf-8")
    os.replace(tmp, target)
    return target
