"""One command runs the whole suite on a user's file (issue 10): the default run file with
nothing but ``source``, ``events_path`` and ``strike_definition`` on a generated 2025-layout
ACLED pull (invented rows, 23 Jan - 16 May 2025) exits 0, runs the jobs whose ceasefires fit
the file and lists the others as skipped with their reason, in the summary, the run manifest
and the gallery. Counts in the reports are compared with plain-pandas counts of the file.

Only the placebo and permutation draws are cut (``n_placebos``, ``n_permutations``) so the
suite runs in about a minute; they change no count.
"""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pandas as pd
import pytest
from factories import write_acled_2025

from analysis import paths
from analysis.runner import cli

RUN_FILE = paths.PROJECT_ROOT / "notebooks" / "reports.yml"


@pytest.fixture(scope="module")
def suite(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, str, Path, pd.DataFrame]:
    folder = tmp_path_factory.mktemp("user_file")
    pull = folder / "acled_2025.csv"
    rows = write_acled_2025(pull)
    reports = folder / "reports"
    argv = ["run", str(RUN_FILE), "--reports-dir", str(reports), "--no-progress"]
    argv += ["--workers", "2"]
    for name, value in (
        ("source", "acled"),
        ("events_path", str(pull)),
        ("strike_definition", "junta_air"),
        ("n_placebos", "99"),
        ("n_permutations", "99"),
    ):
        argv += ["-p", name, value]
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = cli.main(argv)
    return code, out.getvalue(), reports, rows


def _results(reports: Path, job: str) -> dict:
    return json.loads((reports / job / "manifest.json").read_text())["results"]


def _strikes(rows: pd.DataFrame) -> pd.DataFrame:
    strikes = rows[rows["sub_event_type"] == "Air/drone strike"].copy()
    strikes["day"] = pd.to_datetime(strikes["event_date"])
    strikes["target_id"] = strikes["actor2"].str.split(":").str[0]
    return strikes


def test_the_suite_exits_0_and_names_the_skipped_jobs_with_their_reason(suite) -> None:
    code, out, reports, _ = suite
    assert code == 0, out
    run = json.loads((reports / "manifest.json").read_text())
    assert run["counts"]["failed"] == 0 and run["counts"]["timeout"] == 0
    skipped = {s["name"]: s["reason"] for s in run["skipped"]}
    # by hand from ceasefires.csv: the two bilateral AA truces (2020, 2022) and the alignment
    # report's truce lie before the file; the June 2025 extensions start after it
    assert set(skipped) == {
        "ceasefire_effect__ceasefire_id-aa-mil-2020-11",
        "ceasefire_effect__ceasefire_id-aa-mil-2022-11",
        "ceasefire_effect_earthquake__ceasefire_id-mil-eq-2025-06",
        "ceasefire_effect_earthquake__ceasefire_id-tba-eq-2025-06",
        "alignment",
    }
    assert "before the data start (data: 2025-01-23 to 2025-05-16)" in skipped["alignment"]
    assert (
        "after the data end" in skipped["ceasefire_effect_earthquake__ceasefire_id-mil-eq-2025-06"]
    )
    summary = {line.split()[0]: line for line in out.splitlines() if "  skipped  " in line}
    assert set(summary) == set(skipped)
    assert "5 job(s) skipped" in out
    index = (reports / "index.html").read_text()
    assert index.count('class="skipped-job"') == 5
    ran = {j["name"] for j in run["jobs"]}
    assert "ceasefire_effect_earthquake__ceasefire_id-mil-eq-2025-04" in ran
    assert {"data_audit", "strike_timeline", "ceasefire_timing", "reported_counts"} <= ran


def test_the_2025_reports_count_what_plain_pandas_counts(suite) -> None:
    _, _, reports, rows = suite
    strikes = _strikes(rows)
    # the post-earthquake alliance truce (1-30 April): baseline shortened to 68 days
    alliance = _results(reports, "ceasefire_effect_earthquake__ceasefire_id-tba-eq-2025-04")
    parties = strikes["target_id"].isin(["MNDAA", "TNLA", "AA"])
    before = strikes["day"].between("2025-01-23", "2025-03-31")
    during = strikes["day"].between("2025-04-01", "2025-04-30")
    assert alliance["window_pre_days_used"] == 68
    assert (
        "baseline 68 days instead of 90: the data start on 23 January 2025"
        in (alliance["window_note"])
    )
    assert alliance["targets_counted"] == ["MNDAA", "TNLA", "AA"]
    assert alliance["during_events_pre"] == (before & parties).sum()
    assert alliance["during_events_during"] == (during & parties).sum()
    # the military's national truce (2-22 April): every target counted
    junta = _results(reports, "ceasefire_effect_earthquake__ceasefire_id-mil-eq-2025-04")
    assert junta["targets_counted"] == []
    assert junta["during_events_pre"] == strikes["day"].between("2025-01-23", "2025-04-01").sum()
    assert junta["during_events_during"] == strikes["day"].between("2025-04-02", "2025-04-22").sum()
    timeline = _results(reports, "strike_timeline")
    assert timeline["events_inside"] + timeline["events_outside"] == len(strikes)
    assert timeline["data_last_date"].startswith("2025-05-16")
