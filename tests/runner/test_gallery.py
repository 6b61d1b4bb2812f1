"""The gallery index: escaping, links, and the numbers a card shows."""

from __future__ import annotations

from pathlib import Path

from runner_fixtures import HOSTILE, png_bytes

from analysis.runner import gallery, manifest, publish


def test_index_escapes_everything_and_links_files(tmp_path: Path) -> None:
    folder = tmp_path / "job-a"
    folder.mkdir()
    (folder / "job-a.html").write_text("x")
    (folder / "job-a.ipynb").write_text("{}")
    publish.write_thumbnail(png_bytes(), folder / publish.THUMBNAIL)
    publish.write_json(
        folder / manifest.MANIFEST,
        {
            "job": "job-a",
            "title": HOSTILE,
            "status": "ok",
            "parameters": {"label": HOSTILE},
            "results": {"events_per_day": 1.5, "note": HOSTILE},
            "files": {"html": "job-a.html", "ipynb": "job-a.ipynb"},
        },
    )
    html = gallery.build_index(tmp_path).read_text(encoding="utf-8")
    assert "<script>window.__pwned" not in html and "<img src=x" not in html
    assert "&lt;script&gt;" in html
    assert 'href="job-a/job-a.html"' in html and 'href="job-a/job-a.ipynb"' in html
    assert 'src="job-a/thumbnail.png"' in html
    assert "events_per_day" in html and "1.5" in html


def test_cards_show_short_numbers_and_leave_long_text_to_the_report() -> None:
    results = {f"n{i}": i * 1.234567 for i in range(gallery.CARD_MAX_NUMBERS + 3)}
    results["note"] = "x" * 200
    results["acled_attribution"] = {"access_date": "2025-01-01"}
    shown, more = gallery.card_numbers(results)
    assert len(shown) == gallery.CARD_MAX_NUMBERS and more == 3
    assert ("n2", "2.469") in shown
    assert all(name not in {"note", "acled_attribution"} for name, _ in shown)


def test_cards_put_headline_first_and_skip_echoed_parameters() -> None:
    results = {"a": 1, "b": 2, "seed": 7, "rate_ratio": 0.5, "headline": ["rate_ratio", "gone"]}
    shown, more = gallery.card_numbers(results, parameter_names={"seed": 7})
    assert [name for name, _ in shown] == ["rate_ratio", "a", "b"] and more == 0
