"""Publishing: self-contained HTML, escaping of untrusted text, attribution, index, hashes."""

from __future__ import annotations

import base64
import io
import json
import re
from pathlib import Path

import nbformat
import pytest
from PIL import Image

from analysis import paths, publish
from analysis.results import RESULTS_MIME

HOSTILE = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=1">'


def png_bytes(width: int = 40, height: int = 20) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def executed_notebook(results: dict, png: bytes | None = None) -> nbformat.NotebookNode:
    """A notebook as papermill leaves it: a title, a figure output, recorded results."""
    figure = nbformat.v4.new_code_cell("plt.show()", execution_count=1)
    if png is not None:
        figure.outputs = [
            nbformat.v4.new_output(
                "display_data",
                data={"image/png": base64.b64encode(png).decode(), "text/plain": "fig"},
            )
        ]
    record = nbformat.v4.new_code_cell("record(...)", execution_count=2)
    record.outputs = [
        nbformat.v4.new_output("display_data", data={RESULTS_MIME: results, "text/plain": "r"})
    ]
    return nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("Intro text\n\n## Ceasefire report: Rakhine\n\nmore"),
            figure,
            record,
        ]
    )


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


def test_index_escapes_everything_and_links_files(tmp_path: Path) -> None:
    folder = tmp_path / "job-a"
    folder.mkdir()
    (folder / "job-a.html").write_text("x")
    (folder / "job-a.ipynb").write_text("{}")
    publish.write_thumbnail(png_bytes(), folder / publish.THUMBNAIL)
    publish.write_json(
        folder / publish.MANIFEST,
        {
            "job": "job-a",
            "title": HOSTILE,
            "status": "ok",
            "parameters": {"label": HOSTILE},
            "results": {"events_per_day": 1.5, "note": HOSTILE},
            "files": {"html": "job-a.html", "ipynb": "job-a.ipynb"},
        },
    )
    html = publish.build_index(tmp_path).read_text(encoding="utf-8")
    assert "<script>window.__pwned" not in html and "<img src=x" not in html
    assert "&lt;script&gt;" in html
    assert 'href="job-a/job-a.html"' in html and 'href="job-a/job-a.ipynb"' in html
    assert 'src="job-a/thumbnail.png"' in html
    assert "events_per_day" in html and "1.5" in html


def test_sha256_matches_the_standard_test_vector(tmp_path: Path) -> None:
    file = tmp_path / "abc.txt"
    file.write_bytes(b"abc")  # FIPS 180-2 example
    assert publish.sha256_file(file) == (
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    )


def test_input_files_include_events_path_and_data_dir(tmp_path: Path, data_copy: Path) -> None:
    events = tmp_path / "acled_export.csv"
    events.write_text("a,b\n1,2\n")
    found = publish.input_files(
        tmp_path / "nb.ipynb", {"events_path": str(events), "data_dir": str(data_copy)}
    )
    assert events in found
    assert data_copy / "ucdp" / "ucdp_ged_myanmar_daily.csv" in found
    assert paths.data_dir() / "ucdp" / "ucdp_ged_myanmar_daily.csv" not in found


def test_write_json_leaves_no_temporary_files(tmp_path: Path) -> None:
    publish.write_json(tmp_path / "m.json", {"a": 1})
    assert [p.name for p in tmp_path.iterdir()] == ["m.json"]
    assert json.loads((tmp_path / "m.json").read_text()) == {"a": 1}


@pytest.mark.parametrize("value", [{"nested": [1, 2]}, 3.5, "text"])
def test_footer_context_renders_any_json_value_as_text(value: object) -> None:
    context = publish.footer_context({"p": value}, {}, "now", "job")
    assert all(isinstance(v, str) for _, v in context["parameters"])


def test_cards_show_short_numbers_and_leave_long_text_to_the_report() -> None:
    from analysis.publish import CARD_MAX_NUMBERS, card_numbers

    results = {f"n{i}": i * 1.234567 for i in range(CARD_MAX_NUMBERS + 3)}
    results["note"] = "x" * 200
    results["acled_attribution"] = {"access_date": "2025-01-01"}
    shown, more = card_numbers(results)
    assert len(shown) == CARD_MAX_NUMBERS and more == 3
    assert ("n2", "2.469") in shown
    assert all(name not in {"note", "acled_attribution"} for name, _ in shown)


def test_cards_put_headline_first_and_skip_echoed_parameters() -> None:
    from analysis.publish import card_numbers

    results = {"a": 1, "b": 2, "seed": 7, "rate_ratio": 0.5, "headline": ["rate_ratio", "gone"]}
    shown, more = card_numbers(results, parameter_names={"seed": 7})
    assert [name for name, _ in shown] == ["rate_ratio", "a", "b"] and more == 0
