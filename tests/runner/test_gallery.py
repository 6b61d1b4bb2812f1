"""The front page and gallery: findings per question, escaping, links, no raw result keys."""

from __future__ import annotations

import re
from pathlib import Path

from runner_fixtures import HOSTILE, png_bytes

from analysis.finding_base import QUESTIONS
from analysis.runner import gallery, manifest, publish


def _publish(root: Path, job: str, results: dict, title: str = "Report") -> None:
    folder = root / job
    folder.mkdir(parents=True)
    (folder / f"{job}.html").write_text("x")
    (folder / f"{job}.ipynb").write_text("{}")
    publish.write_thumbnail(png_bytes(), folder / publish.THUMBNAIL)
    publish.write_json(
        folder / manifest.MANIFEST,
        {
            "job": job,
            "title": title,
            "status": "ok",
            "parameters": {"label": HOSTILE},
            "results": results,
            "files": {"html": f"{job}.html", "ipynb": f"{job}.ipynb"},
        },
    )


def _visible_text(html: str) -> str:
    """What a reader sees: tags, styles and attribute values removed (as a browser would)."""
    html = re.sub(r"<style.*?</style>", "", html, flags=re.DOTALL)
    return re.sub(r"<[^>]+>", " ", html)


def test_index_escapes_everything_and_links_files(tmp_path: Path) -> None:
    _publish(
        tmp_path,
        "job-a",
        {
            "finding": HOSTILE,
            "finding_question": 1,
            "key_numbers": [{"label": HOSTILE, "value": 0.36, "unit": "per day"}],
        },
        title=HOSTILE,
    )
    html = gallery.build_index(tmp_path).read_text(encoding="utf-8")
    assert "<script>window.__pwned" not in html and "<img src=x" not in html
    assert "&lt;script&gt;" in html
    assert 'href="job-a/job-a.html"' in html and 'href="job-a/job-a.ipynb"' in html
    assert 'src="job-a/thumbnail.png"' in html
    assert "0.36 per day" in html


def test_cards_show_the_finding_and_labelled_numbers_never_raw_keys(tmp_path: Path) -> None:
    numbers = [{"label": f"number {i}", "value": i + 0.123456, "unit": "days"} for i in range(6)]
    _publish(
        tmp_path,
        "effect",
        {
            "finding": "Events per day fell by 60%.",
            "finding_question": 1,
            "key_numbers": numbers,
            "did_estimate": 0.0,
            "did_status": "zero_during",
            "timing_China_observed_median_days": 4.0,
        },
    )
    _publish(tmp_path, "legacy", {"inside_outside_ratio": 4.781, "cox_x_ci_high": 2.0})
    html = gallery.build_index(tmp_path).read_text(encoding="utf-8")
    text = _visible_text(html)
    for raw in ("did_estimate", "did_status", "zero_during", "timing_China", "inside_outside"):
        assert raw not in text
    assert "4.781" not in text
    assert "Events per day fell by 60%." in text
    assert "number 3" in text and "3.12 days" in text
    assert "number 4" not in text  # at most four numbers on a card
    assert gallery.card_numbers({"key_numbers": numbers})[0] == ("number 0", "0.123 days")


def test_front_page_answers_each_question_with_its_findings(tmp_path: Path) -> None:
    _publish(tmp_path, "effect", {"finding": "Strikes fell.", "finding_question": 1})
    _publish(tmp_path, "timing", {"finding": "No closer than chance.", "finding_question": 2})
    _publish(tmp_path, "audit", {"finding": "The data hold 10 events.", "finding_question": 0})
    html = gallery.build_index(tmp_path).read_text(encoding="utf-8")
    sections = dict(
        re.findall(
            r'<section class="question" id="question-(\w+)">(.*?)</section>', html, flags=re.DOTALL
        )
    )
    assert QUESTIONS[1] in sections["1"] and "Strikes fell." in sections["1"]
    assert 'href="effect/effect.html"' in sections["1"]
    assert "No closer than chance." in sections["2"] and "Strikes fell." not in sections["2"]
    assert "No published report answers this question yet." in sections["3"]
    assert "The data hold 10 events." in sections["data"]
    # the answers come before the gallery of cards
    assert html.index('id="answers"') < html.index('id="reports"')
