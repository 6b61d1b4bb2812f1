"""Hardening of the report runner on real notebooks (issue #6, part 2).

One module-scoped run of ``python -m analysis.runner`` (a subprocess, as a user starts it)
feeds the real notebooks messy and hostile inputs with credentials in the environment:

* an ACLED export copy with hostile actor names and notes and a revised (duplicated) event id;
* a copy of the data folder whose ceasefire ``declared_by`` and ``note`` are hostile markup,
  passed through the ``data_dir`` parameter;
* a notebook that dumps its kernel's environment, and a job on a malformed ACLED file.

The tests then read everything the run produced: no credential anywhere (files, stdout,
stderr), hostile text escaped in every HTML page and never executed in a browser, no raw
ACLED row in any report. Separate tests cover a run-time failure of a real notebook (the last
good report survives byte for byte) and a runner killed with SIGKILL mid-run.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from factories import process_alive
from test_browser import _check_page, driver  # noqa: F401  (driver is a fixture used below)

from analysis import paths
from analysis.results import read_results
from analysis.runner import cli, kernels, manifest, publish, runfile, schedule

NOTEBOOKS = paths.PROJECT_ROOT / "notebooks"
FIXTURES = Path(__file__).parent.parent / "fixtures"
ACLED_CSV = FIXTURES / "acled" / "acled_current_layout.csv"
FIXTURE_NOTEBOOKS = FIXTURES / "notebooks"

HOSTILE = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=1">'
RAW_MARKUP = ("<script>window.__pwned", "<img src=x onerror")
ESCAPED = "&lt;script&gt;window.__pwned=1&lt;/script&gt;"
SENTINELS = {
    "ACLED_EMAIL": "sentinel-mail-7f3a9c@example.invalid",
    "ACLED_PASSWORD": "sentinel-pass-Q9x2Lk4w",
    "UCDP_API_TOKEN": "sentinel-token-Zr81Vb6p",
}
HOSTILE_CEASEFIRE = "aa-mil-2022-11"
HOSTILE_ACTOR_LINE = 7  # file line of the fixture's 'Unidentified Armed Group' row
DUPLICATED_LINE = 2  # file line whose event id the copy repeats, as a later revision


# --- inputs -----------------------------------------------------------------------------------


def hostile_acled(target: Path) -> Path:
    """The ACLED fixture with hostile text in an unmapped actor, a target and every note,
    plus a later revision of the event on line 2 (the same event_id_cnty)."""
    frame = pd.read_csv(ACLED_CSV, dtype=str, keep_default_na=False)
    frame.loc[HOSTILE_ACTOR_LINE - 2, "actor1"] = HOSTILE
    frame.loc[HOSTILE_ACTOR_LINE - 2, "actor2"] = f"Target {HOSTILE}"
    frame["notes"] = frame["notes"] + " " + HOSTILE
    revision = frame.loc[[DUPLICATED_LINE - 2]].copy()
    revision["timestamp"] = str(int(revision["timestamp"].iloc[0]) + 1000)
    frame = pd.concat([frame, revision], ignore_index=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(target, index=False)
    return target


def malformed_acled(target: Path) -> Path:
    """The ACLED fixture with hostile markup where line 3's event_date should be."""
    frame = pd.read_csv(ACLED_CSV, dtype=str, keep_default_na=False)
    frame.loc[1, "event_date"] = HOSTILE
    target.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(target, index=False)
    return target


def data_copy(target: Path, hostile: bool = False) -> Path:
    """A copy of the bundled data folder; with ``hostile`` one ceasefire's ``declared_by``
    and ``note`` carry markup."""
    for sub in ("curated", "ucdp"):
        shutil.copytree(paths.data_dir() / sub, target / sub)
    if hostile:
        table = target / "curated" / "ceasefires.csv"
        frame = pd.read_csv(table, dtype=str, keep_default_na=False)
        row = frame["ceasefire_id"] == HOSTILE_CEASEFIRE
        assert row.sum() == 1
        frame.loc[row, "declared_by"] = f"Arakan Army {HOSTILE}"
        frame.loc[row, "note"] = f"Hostile note {HOSTILE}"
        frame.to_csv(table, index=False)
    return target


def env_probe_notebook(target: Path) -> Path:
    """A notebook that prints its kernel's whole environment, then fails with a credential's
    value (or a placeholder) as its error message."""
    parameters = nbformat.v4.new_code_cell('label = "probe"')
    parameters.metadata["tags"] = ["parameters"]
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("# Environment probe"),
            parameters,
            nbformat.v4.new_code_cell("import os\n\nprint(dict(os.environ))"),
            nbformat.v4.new_code_cell(
                'raise RuntimeError(os.environ.get("ACLED_PASSWORD", "no credential here"))'
            ),
        ]
    )
    nbformat.write(nb, target)
    return target


def run_cli(run_file: Path, out: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "analysis.runner", "run", str(run_file)]
        + ["--reports-dir", str(out), "--workers", "2", "--no-progress"],
        cwd=paths.PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


@dataclass(frozen=True)
class Run:
    out: Path
    process: subprocess.CompletedProcess
    acled_file: Path


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    folder = tmp_path_factory.mktemp("hostile")
    acled_file = hostile_acled(folder / "raw" / "acled_export.csv")
    bad_file = malformed_acled(folder / "raw" / "acled_bad_date.csv")
    hostile_data = data_copy(folder / "hostile_data", hostile=True)
    probe = env_probe_notebook(folder / "env_probe.ipynb")
    acled_window = "start: '2025-05-16', end: '2025-05-20', frequency: D"
    (folder / "run.yml").write_text(
        "timeout: 300\n"
        "jobs:\n"
        f"  - notebook: {NOTEBOOKS}/00_data_audit.ipynb\n"
        "    name: audit_acled\n"
        f"    parameters: {{source: acled, events_path: '{acled_file}', "
        "strike_definition: junta_air}\n"
        f"  - notebook: {NOTEBOOKS}/01_strike_timeline.ipynb\n"
        "    name: timeline_acled\n"
        f"    parameters: {{source: acled, events_path: '{acled_file}', {acled_window}, "
        "actor_side: ''}\n"
        f"  - notebook: {NOTEBOOKS}/01_strike_timeline.ipynb\n"
        "    name: timeline_hostile_data\n"
        f"    parameters: {{data_dir: '{hostile_data}', start: '2022-06-01', end: '2023-06-30', "
        f"frequency: M, ceasefire_ids: [{HOSTILE_CEASEFIRE}]}}\n"
        f"  - notebook: {NOTEBOOKS}/02_ceasefire_effect.ipynb\n"
        "    name: effect_hostile_data\n"
        f"    parameters: {{data_dir: '{hostile_data}', ceasefire_id: {HOSTILE_CEASEFIRE}, "
        "n_placebos: 19}\n"
        f"  - notebook: {probe}\n"
        "    name: env_probe\n"
        f"  - notebook: {NOTEBOOKS}/01_strike_timeline.ipynb\n"
        "    name: timeline_acled_bad\n"
        f"    parameters: {{source: acled, events_path: '{bad_file}', {acled_window}}}\n",
        encoding="utf-8",
    )
    # A clean data copy as the default data folder keeps the ACLED parse cache out of data/.
    env = {
        **os.environ,
        **SENTINELS,
        paths.DATA_DIR_ENV: str(data_copy(folder / "data")),
    }
    out = folder / "reports"
    process = run_cli(folder / "run.yml", out, env)
    return Run(out, process, acled_file)


def produced_files(out: Path) -> list[Path]:
    return sorted(p for p in out.rglob("*") if p.is_file())


def job_status(run: Run) -> dict[str, str]:
    recorded = json.loads((run.out / manifest.MANIFEST).read_text(encoding="utf-8"))
    return {job["name"]: job["status"] for job in recorded["jobs"]}


# --- the hostile run --------------------------------------------------------------------------


def test_hostile_run_publishes_good_jobs_and_isolates_failures(hostile_run: Run) -> None:
    assert hostile_run.process.returncode == 1, hostile_run.process.stderr[-3000:]
    assert job_status(hostile_run) == {
        "audit_acled": "ok",
        "timeline_acled": "ok",
        "timeline_hostile_data": "ok",
        "effect_hostile_data": "ok",
        "env_probe": "failed",
        "timeline_acled_bad": "failed",
    }
    error = (hostile_run.out / "_failed" / "timeline_acled_bad" / "error.txt").read_text()
    assert "acled_bad_date.csv: column 'event_date' at row(s) 3" in error


def test_no_credential_reaches_any_output(hostile_run: Run) -> None:
    files = produced_files(hostile_run.out)
    assert any(p.suffix == ".html" for p in files) and any(p.suffix == ".ipynb" for p in files)
    streams = {
        "stdout": hostile_run.process.stdout.encode(),
        "stderr": hostile_run.process.stderr.encode(),
    }
    leaks = [
        (name, str(place))
        for place, data in [*((p, p.read_bytes()) for p in files), *streams.items()]
        for name, secret in SENTINELS.items()
        if secret.encode() in data
    ]
    assert leaks == []
    # The probe really dumped its environment into a shared file, and the credential it asked
    # for was absent: the scan above looked where a leak would have been.
    probe = hostile_run.out / "_failed" / "env_probe"
    assert paths.DATA_DIR_ENV in (probe / "env_probe.ipynb").read_text(encoding="utf-8")
    assert "no credential here" in (probe / "error.txt").read_text(encoding="utf-8")


def test_kernel_environment_drops_credentials() -> None:
    environ = {**SENTINELS, "PATH": "/bin", "GITHUB_TOKEN": "x", "MY_API_KEY": "y", "HOME": "/h"}
    kept = {"PATH": "/bin", "HOME": "/h", "TQDM_DISABLE": "1"}  # no bars in reports
    assert kernels.kernel_environment(environ) == kept


def test_hostile_text_is_escaped_in_every_html_page(hostile_run: Run) -> None:
    pages = [p for p in produced_files(hostile_run.out) if p.suffix == ".html"]
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert not [m for m in RAW_MARKUP if m in text], page
    # ...and it is there, as text, wherever the inputs put it on a page.
    shown_on = {
        "index.html",  # the failed job's error message on its card
        "audit_acled.html",  # unmapped actor and target names
        "timeline_hostile_data.html",  # declared_by in the ceasefire table
        "effect_hostile_data.html",  # the ceasefire row with its note
        "timeline_acled_bad.html",  # the traceback naming the bad cell
    }
    escaped_on = {p.name for p in pages if ESCAPED in p.read_text(encoding="utf-8")}
    assert shown_on <= escaped_on


def test_hostile_text_is_never_html_in_executed_notebooks(hostile_run: Run) -> None:
    checked = 0
    for notebook in (p for p in produced_files(hostile_run.out) if p.suffix == ".ipynb"):
        nb = nbformat.read(notebook, as_version=4)
        for cell in nb.cells:
            for output in cell.get("outputs", []):
                html = output.get("data", {}).get("text/html")
                if html is None:
                    continue
                checked += 1
                text = "".join(html) if isinstance(html, list) else html
                assert not [m for m in RAW_MARKUP if m in text], notebook.name
    assert checked > 0


def test_reports_carry_aggregates_never_acled_rows(hostile_run: Run) -> None:
    raw = pd.read_csv(hostile_run.acled_file, dtype=str, keep_default_na=False)
    forbidden = {
        *raw["event_id_cnty"],
        *raw["notes"],
        *raw["location"],
        *(f"{lat}, {lon}" for lat, lon in zip(raw["latitude"], raw["longitude"], strict=True)),
        *raw["latitude"],
        *raw["longitude"],
        *("Fixture note", "Fixture village", "Fixture town"),
    }
    acled_jobs = ("audit_acled", "timeline_acled", "timeline_acled_bad")
    outputs = [
        p
        for p in produced_files(hostile_run.out)
        if p.suffix in (".html", ".ipynb", ".json", ".txt")
        and (p.parent.name in acled_jobs or p.parent == hostile_run.out)
    ]
    assert {p.parent.name for p in outputs} >= set(acled_jobs)
    found = [
        (value, p.relative_to(hostile_run.out).as_posix())
        for p in outputs
        for value in forbidden
        if value and value in p.read_text(encoding="utf-8")
    ]
    assert found == []
    # Aggregates are still reported: the revised row is a count of dropped rows, and the
    # ACLED attribution is in the footer.
    audit = read_results(hostile_run.out / "audit_acled" / "audit_acled.ipynb")
    assert audit["rows_dropped_by_loader"] == 1
    assert audit["rows"] == len(raw) - 1
    html = (hostile_run.out / "timeline_acled" / "timeline_acled.html").read_text("utf-8")
    assert 'id="acled-attribution"' in html


# --- a real notebook failing at run time -------------------------------------------------------


def test_run_time_failure_keeps_last_good_real_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(paths.DATA_DIR_ENV, str(data_copy(tmp_path / "data")))
    acled_copy = tmp_path / "raw" / "acled_export.csv"
    acled_copy.parent.mkdir()
    shutil.copy(ACLED_CSV, acled_copy)
    run_file = tmp_path / "run.yml"
    run_file.write_text(
        f"jobs:\n  - notebook: {NOTEBOOKS}/01_strike_timeline.ipynb\n    name: timeline\n"
        f"    parameters: {{source: acled, events_path: '{acled_copy}', start: '2025-05-16', "
        "end: '2025-05-20', frequency: D}\n",
        encoding="utf-8",
    )
    out = tmp_path / "reports"
    command = ["run", str(run_file), "--reports-dir", str(out), "--no-progress"]
    assert cli.main(command) == 0
    good = out / "timeline"
    before = {p.name: p.read_bytes() for p in good.iterdir()}
    assert {"timeline.html", "timeline.ipynb", "manifest.json"} <= set(before)

    # The same job, now on an export whose 'fatalities' column was cut off: the run file
    # checks pass (the file exists), the notebook fails when it reads it.
    frame = pd.read_csv(ACLED_CSV, dtype=str, keep_default_na=False)
    frame.drop(columns="fatalities").to_csv(acled_copy, index=False)
    second = cli.main(command)
    assert second == 1
    assert {p.name: p.read_bytes() for p in good.iterdir()} == before
    failed = out / publish.FAILED_DIR / "timeline"
    assert {"timeline.ipynb", "timeline.html", "error.txt", "manifest.json"} <= {
        p.name for p in failed.iterdir()
    }
    error = (failed / "error.txt").read_text(encoding="utf-8")
    assert str(acled_copy) in error and "fatalities" in error
    assert json.loads((failed / "manifest.json").read_text())["status"] == "failed"
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="timeline/timeline.html"' in index
    assert 'href="_failed/timeline/timeline.html"' in index
    assert not [p for p in out.iterdir() if p.name.startswith((".tmp-", ".old-"))]


def test_bad_parameter_stops_the_cli_before_anything_runs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run_file = tmp_path / "run.yml"
    run_file.write_text(
        f"jobs:\n  - notebook: {NOTEBOOKS}/01_strike_timeline.ipynb\n"
        f"  - notebook: {NOTEBOOKS}/02_ceasefire_effect.ipynb\n"
        "    parameters: {n_placebos: 1000000000, ceasefire_id: aa-mil-2022-1}\n",
        encoding="utf-8",
    )
    out = tmp_path / "reports"
    code = cli.main(["run", str(run_file), "--reports-dir", str(out), "--no-progress"])
    assert code == 2
    assert not out.exists()
    message = capsys.readouterr().err
    assert "job '02_ceasefire_effect'" in message and "02_ceasefire_effect.ipynb" in message
    assert "parameter 'n_placebos' = 1000000000 is out of range" in message


# --- a runner killed mid-run ------------------------------------------------------------------


def _wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_sigkill_mid_run_keeps_published_reports_and_next_run_recovers(tmp_path: Path) -> None:
    for name in ("ok.ipynb", "sleeps.ipynb"):
        shutil.copy(FIXTURE_NOTEBOOKS / name, tmp_path / name)
    out = tmp_path / "reports"
    (tmp_path / "first.yml").write_text("jobs:\n  - notebook: ok.ipynb\n    name: report\n")
    first = schedule.run_jobs(
        runfile.load_run_file(tmp_path / "first.yml"), out, workers=1, progress=False
    )
    assert [r.status for r in first] == ["ok"]
    before = {p.name: p.read_bytes() for p in (out / "report").iterdir()}

    # The same job name, now slow, next to a quick job; the runner is killed (whole process
    # group, as a cancelled CI job or kill -9 of a session would) while the slow one runs.
    pid_file = tmp_path / "kernel.pid"
    (tmp_path / "killed.yml").write_text(
        "jobs:\n"
        "  - notebook: sleeps.ipynb\n    name: report\n"
        f"    parameters: {{pid_file: '{pid_file}'}}\n    timeout: 120\n"
        "  - notebook: ok.ipynb\n    name: other\n"
    )
    runner = subprocess.Popen(
        [sys.executable, "-m", "analysis.runner", "run", str(tmp_path / "killed.yml")]
        + ["--reports-dir", str(out), "--workers", "2", "--no-progress"],
        cwd=paths.PROJECT_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    kernel_pid = None
    try:
        started = _wait_for(
            lambda: (
                pid_file.is_file()
                and pid_file.read_text().strip() != ""
                and (out / "other" / manifest.MANIFEST).is_file()
            ),
            90,
        )
        assert started, "the slow job never started or the quick one never published"
        kernel_pid = int(pid_file.read_text())
        assert runner.poll() is None, "the runner finished before it could be killed"
        os.killpg(runner.pid, signal.SIGKILL)
        runner.wait(timeout=30)
    finally:
        if runner.poll() is None:
            os.killpg(runner.pid, signal.SIGKILL)
            runner.wait(timeout=30)
        # The kernel runs in its own session; ipykernel exits once its parent is gone, but
        # make sure this test leaves no process behind.
        if kernel_pid is not None and not _wait_for(lambda: not process_alive(kernel_pid), 10):
            os.kill(kernel_pid, signal.SIGKILL)
    assert runner.returncode == -signal.SIGKILL

    assert {p.name: p.read_bytes() for p in (out / "report").iterdir()} == before
    other = out / "other"
    assert json.loads((other / manifest.MANIFEST).read_text())["status"] == "ok"
    assert (other / "other.html").is_file()
    leftovers = [p.name for p in out.iterdir() if p.name.startswith(publish.TMP_PREFIX)]
    assert leftovers, "the killed job should have left its staging folder behind"

    # The next run cleans up; the published report was made from the same inputs, so it stands.
    results = schedule.run_jobs(
        runfile.load_run_file(tmp_path / "first.yml"), out, workers=1, progress=False
    )
    assert [r.status for r in results] == ["unchanged"]
    names = [p.name for p in out.iterdir()]
    assert not [n for n in names if n.startswith((publish.TMP_PREFIX, publish.OLD_PREFIX))]
    assert json.loads((out / "report" / manifest.MANIFEST).read_text())["status"] == "ok"
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="report/report.html"' in index and 'href="other/other.html"' in index


# --- in a browser -----------------------------------------------------------------------------


def test_hostile_pages_do_not_run_script_in_a_browser(
    driver: object,  # noqa: F811
    hostile_run: Run,
    tmp_path: Path,
) -> None:
    # Screenshots go to tmp_path so the run's folder stays as the runner left it.
    linked = _check_page(driver, hostile_run.out / "index.html", tmp_path / "index.png")
    pages = sorted({p for p in linked if p.suffix == ".html"})
    assert {p.name for p in pages} >= {
        "audit_acled.html",
        "timeline_hostile_data.html",
        "effect_hostile_data.html",
        "timeline_acled_bad.html",
        "env_probe.html",
    }
    for page in pages:
        _check_page(driver, page, tmp_path / f"{page.stem}.png")
    driver.get((hostile_run.out / "audit_acled" / "audit_acled.html").as_uri())
    assert "<script>window.__pwned=1</script>" in driver.find_element("tag name", "body").text


def test_manifest_hashes_the_data_folder_the_notebook_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A relative data_dir is taken from the project root, as the notebook takes it: not from
    # the notebook's folder nor from wherever the runner was started.
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    notebook = notebooks / "01.ipynb"
    shutil.copy(NOTEBOOKS / "01_strike_timeline.ipynb", notebook)
    data_copy(tmp_path / "mydata")
    relative = os.path.relpath(tmp_path / "mydata", paths.PROJECT_ROOT)
    monkeypatch.chdir(notebooks)
    hashed = manifest.input_files(notebook, {"data_dir": relative})
    expected = (tmp_path / "mydata" / "curated" / "ceasefires.csv").resolve()
    assert expected in hashed
    assert paths.curated_path("ceasefires.csv") not in hashed
