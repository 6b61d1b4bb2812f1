"""Publishing: self-contained HTML, escaping of untrusted text, attribution, atomic swaps."""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest
from PIL import Image
from runner_fixtures import HOSTILE, executed_notebook, png_bytes

from analysis.runner import publish


def test_title_is_first_markdown_heading_and_png_is_first_image() -> None:
    png = png_bytes()
    nb = executed_notebook({}, png)
    assert publish.notebook_title(nb, "fallback") == "Ceasefire report: Rakhine"
    assert publish.first_png(nb) == png
    assert publish.notebook_title(nbformat.v4.new_notebook(), "fallback") == "fallback"
    assert publish.first_png(nbformat.v4.new_notebook()) is None


def test_thumbnail_is_shrunk(tmp_path: Path) -> None:
    target = publish.write_thumbnail(png_bytes(1200, 600), tmp_path / "t.png", width=300)
    with Image.open(target) as image:
        assert image.size == (300, 150)


def export(tmp_path: Path, results: dict, parameters: dict, show_code: bool = False) -> str:
    nb = executed_notebook(results, png_bytes())
    footer = publish.footer_context(parameters, results, "2025-01-01T00:00:00+00:00", "job")
    html = publish.export_html(nb, tmp_path / "r.html", "title", footer, show_code=show_code)
    return html.read_text(encoding="utf-8")


def test_html_is_self_contained(tmp_path: Path) -> None:
    html = export(tmp_path, {"n": 1}, {"frequency": "W"})
    assert "data:image/png;base64," in html
    # Nothing fetched from a network: no external scripts, stylesheets or images.
    assert not re.search(r"<script[^>]+src=", html)
    assert not re.search(r"<link[^>]+href=[\"']https?:", html)
    assert not re.search(r"<img[^>]+src=[\"']https?:", html)
    assert not re.search(r"@import\s+url\(\s*[\"']?https?:", html)
    assert "cdnjs" not in html and "cdn.jsdelivr" not in html and "unpkg.com" not in html


def test_untrusted_parameters_and_results_are_escaped(tmp_path: Path) -> None:
    html = export(tmp_path, {"label": HOSTILE, "acled_attribution": HOSTILE}, {"label": HOSTILE})
    assert "window.__pwned" in html  # the text is shown ...
    assert "<script>window.__pwned" not in html  # ... but never as markup
    assert '<img src=x onerror="window.__pwned' not in html
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in html


def test_acled_attribution_in_footer_only_when_recorded(tmp_path: Path) -> None:
    attribution = {"accessed_on": "2025-03-04", "filters": "country=Myanmar", "changes": "none"}
    with_acled = export(tmp_path, {"acled_attribution": attribution}, {"source": "acled"})
    assert 'id="acled-attribution"' in with_acled
    for value in attribution.values():
        assert value in with_acled
    without = export(tmp_path, {"n": 2}, {"source": "ucdp_daily"})
    assert 'id="acled-attribution"' not in without


def test_write_json_leaves_no_temporary_files(tmp_path: Path) -> None:
    publish.write_json(tmp_path / "m.json", {"a": 1})
    assert [p.name for p in tmp_path.iterdir()] == ["m.json"]
    assert json.loads((tmp_path / "m.json").read_text()) == {"a": 1}


@pytest.mark.parametrize("value", [{"nested": [1, 2]}, 3.5, "text"])
def test_footer_context_renders_any_json_value_as_text(value: object) -> None:
    context = publish.footer_context({"p": value}, {}, "now", "job")
    assert all(isinstance(v, str) for _, v in context["parameters"])


def test_recover_restores_copy_renamed_aside_by_a_killed_run(tmp_path: Path) -> None:
    root = tmp_path / "reports"
    (root / ".old-report-0123456789ab").mkdir(parents=True)
    (root / ".old-report-0123456789ab" / "report.html").write_text("good")
    (root / ".tmp-other-abc").mkdir()
    (root / ".tmp-other-abc" / "half.html").write_text("half")
    restored = publish.recover_interrupted(root)
    assert restored == ["report"]
    assert (root / "report" / "report.html").read_text() == "good"
    assert not (root / ".tmp-other-abc").exists()


def test_swap_in_replaces_whole_folder(tmp_path: Path) -> None:
    final = tmp_path / "job"
    final.mkdir()
    (final / "old-only.txt").write_text("old")
    staged = tmp_path / ".tmp-job-1"
    staged.mkdir()
    (staged / "new.txt").write_text("new")
    publish.swap_in(staged, final)
    assert sorted(p.name for p in final.iterdir()) == ["new.txt"]
    assert not staged.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["job"]
