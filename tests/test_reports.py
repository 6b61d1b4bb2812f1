"""The report runner: run-file checks before running, kernels, isolation, timeouts, executors.

Fixture notebooks live in tests/fixtures/notebooks: ``ok`` (draws a figure and records
its kernel's interpreter and transport), ``fails`` (raises unless ``fail=False``) and
``sleeps`` (never finishes unless told).
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import sys
import time
from pathlib import Path

import nbformat
import pytest
from factories import process_alive

from analysis import paths, publish, reports
from analysis.results import read_results

FIXTURES = Path(__file__).parent / "fixtures" / "notebooks"
OK = FIXTURES / "ok.ipynb"
FAILS = FIXTURES / "fails.ipynb"
SLEEPS = FIXTURES / "sleeps.ipynb"


def write_run_file(folder: Path, text: str) -> Path:
    """A run file next to copies of the fixture notebooks (paths are relative to it)."""
    folder.mkdir(parents=True, exist_ok=True)
    for notebook in (OK, FAILS, SLEEPS):
        shutil.copy(notebook, folder / notebook.name)
    run_file = folder / "run.yml"
    run_file.write_text(text, encoding="utf-8")
    return run_file


# --- Parameters ----------------------------------------------------------------------------


def test_parameters_cell_types_come_from_annotations_and_defaults() -> None:
    declared = reports.parse_parameters_cell(
        'start = "2018-01-01"  # comment\n'
        "n = 3\n"
        "ratio = 0.5\n"
        "flag = False\n"
        "regions = []\n"
        "end: str | None = None\n"
        "limit: Optional[int] = None\n"
        "anything = None\n"
    )
    assert declared["start"].types == ("str",)
    assert declared["n"].types == ("int",)
    assert declared["ratio"].types == ("float",)
    assert declared["flag"].types == ("bool",)
    assert declared["regions"].types == ("list",)
    assert set(declared["end"].types) == {"str", "None"}
    assert set(declared["limit"].types) == {"int", "None"}
    assert declared["anything"].types is None
    assert declared["start"].default == "2018-01-01"


def test_unknown_parameter_is_rejected_naming_notebook_job_and_name() -> None:
    declared = reports.notebook_parameters(OK)
    with pytest.raises(reports.RunFileError) as error:
        reports.check_parameters(OK, "my_job", {"n_pionts": 3}, declared)
    message = str(error.value)
    assert "my_job" in message and "ok.ipynb" in message and "n_pionts" in message


@pytest.mark.parametrize(
    ("name", "value"),
    [("n_points", "12"), ("n_points", True), ("label", 2021), ("scale", "1.5"), ("n_points", 1.5)],
)
def test_wrong_types_are_rejected(name: str, value: object) -> None:
    declared = reports.notebook_parameters(OK)
    with pytest.raises(reports.RunFileError, match=name):
        reports.check_parameters(OK, "job", {name: value}, declared)


def test_int_for_float_parameter_becomes_float_and_optional_accepts_none() -> None:
    declared = reports.notebook_parameters(OK)
    checked = reports.check_parameters(OK, "job", {"scale": 2, "note": None}, declared)
    assert checked == {"scale": 2.0, "note": None}
    assert type(checked["scale"]) is float


def test_cli_values_follow_the_declared_type_instead_of_guessing() -> None:
    declared = reports.notebook_parameters(OK)
    # papermill's -p would turn these into int / float; text parameters must stay text.
    assert reports.convert_cli_value("2021", declared["label"]) == "2021"
    assert reports.convert_cli_value("1e3", declared["label"]) == "1e3"
    assert reports.convert_cli_value("12", declared["n_points"]) == 12
    assert reports.convert_cli_value("3", declared["scale"]) == 3.0
    assert reports.convert_cli_value("null", declared["note"]) is None


def test_yaml_dates_stay_text(tmp_path: Path) -> None:
    run_file = write_run_file(
        tmp_path, "jobs:\n  - notebook: ok.ipynb\n    parameters: {label: 2021-02-01}\n"
    )
    (job,) = reports.load_run_file(run_file)
    assert job.parameters == {"label": "2021-02-01"}


# --- Run files -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    ["../../etc/passwd", "/abs/path", "..", "a/../../b", "_failed", ".hidden", "  ", "é ü"],
)
def test_slugs_cannot_escape_the_reports_folder(raw: str, tmp_path: Path) -> None:
    slug = reports.slugify(raw)
    assert slug and "/" not in slug and "\\" not in slug and ".." not in slug
    assert not slug.startswith((".", "_", "-"))
    assert (tmp_path / slug).resolve().parent == tmp_path.resolve()


def test_parameter_sets_and_names(tmp_path: Path) -> None:
    run_file = write_run_file(
        tmp_path,
        "jobs:\n"
        "  - notebook: ok.ipynb\n"
        "    parameters: {scale: 2.0}\n"
        "    parameter_sets: [{label: a}, {label: '../evil'}]\n",
    )
    jobs = reports.load_run_file(run_file)
    assert [j.parameters for j in jobs] == [
        {"scale": 2.0, "label": "a"},
        {"scale": 2.0, "label": "../evil"},
    ]
    assert len({j.name for j in jobs}) == 2
    assert all("/" not in j.name and ".." not in j.name for j in jobs)


@pytest.mark.parametrize(
    ("where", "keep"),
    [
        ("{kind: bilateral}", lambda row: row["kind"] == "bilateral"),
        (
            "{kind: [bilateral, unilateral], declared_on: {max: '2021-06-30'}}",
            lambda row: (
                row["kind"] in ("bilateral", "unilateral")
                and "" < row["declared_on"] <= "2021-06-30"
            ),
        ),
    ],
)
def test_sweep_runs_once_per_matching_ceasefire(tmp_path: Path, where: str, keep: object) -> None:
    notebook = tmp_path / "per_ceasefire.ipynb"
    cell = nbformat.v4.new_code_cell('ceasefire_id = ""')
    cell.metadata["tags"] = ["parameters"]
    nbformat.write(nbformat.v4.new_notebook(cells=[cell]), notebook)
    run_file = tmp_path / "run.yml"
    run_file.write_text(
        "jobs:\n  - notebook: per_ceasefire.ipynb\n"
        f"    sweep: {{parameter: ceasefire_id, from: ceasefires, where: {where}}}\n"
    )
    # Expected rows straight from the CSV text (ISO dates compare as strings).
    with paths.curated_path("ceasefires.csv").open(newline="", encoding="utf-8") as handle:
        expected = [row["ceasefire_id"] for row in csv.DictReader(handle) if keep(row)]
    assert expected, "the curated table should contain matching ceasefires"
    jobs = reports.load_run_file(run_file)
    assert [j.parameters["ceasefire_id"] for j in jobs] == expected
    assert len({j.name for j in jobs}) == len(jobs)


def test_bad_run_file_fails_before_anything_runs(tmp_path: Path) -> None:
    run_file = write_run_file(
        tmp_path,
        "jobs:\n"
        "  - notebook: ok.ipynb\n"
        "  - notebook: fails.ipynb\n    parameters: {fail: 'no'}\n"
        "  - notebook: missing.ipynb\n",
    )
    out = tmp_path / "reports"
    code = reports.main(["run", str(run_file), "--reports-dir", str(out), "--no-progress"])
    assert code == 2
    assert not out.exists()


def test_duplicate_job_names_are_rejected(tmp_path: Path) -> None:
    run_file = write_run_file(tmp_path, "jobs:\n  - notebook: ok.ipynb\n  - notebook: ok.ipynb\n")
    with pytest.raises(reports.RunFileError, match="unique"):
        reports.load_run_file(run_file)


# --- Running -------------------------------------------------------------------------------


def test_kernel_is_this_interpreter_whatever_is_registered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A decoy 'python3' kernelspec that cannot start, found first on JUPYTER_PATH, and a
    # notebook naming a kernel no machine has: the runner must ignore both.
    decoy = tmp_path / "jupyter" / "kernels" / "python3"
    decoy.mkdir(parents=True)
    (decoy / "kernel.json").write_text(
        json.dumps(
            {
                "argv": ["/bin/false", "{connection_file}"],
                "display_name": "decoy",
                "language": "python",
            }
        )
    )
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    folder = tmp_path / "nb"
    run_file = write_run_file(folder, "jobs:\n  - notebook: ok.ipynb\n")
    nb = nbformat.read(folder / "ok.ipynb", as_version=4)
    nb.metadata["kernelspec"] = {
        "name": "conda-env-elsewhere-py",
        "display_name": "x",
        "language": "python",
    }
    nbformat.write(nb, folder / "ok.ipynb")

    results = reports.run_jobs(
        reports.load_run_file(run_file), tmp_path / "reports", workers=1, progress=False
    )
    assert [r.status for r in results] == ["ok"], results[0].error
    recorded = read_results(tmp_path / "reports" / "ok" / "ok.ipynb")
    assert Path(recorded["executable"]) == Path(sys.executable)
    assert recorded["transport"] == "ipc"


def test_failure_is_isolated_and_last_good_copy_survives(tmp_path: Path) -> None:
    out = tmp_path / "reports"
    first = write_run_file(
        tmp_path / "a",
        "jobs:\n  - notebook: fails.ipynb\n    parameters: {fail: false}\n",
    )
    assert reports.main(["run", str(first), "--reports-dir", str(out), "--no-progress"]) == 0
    good = out / "fails"
    before = {p.name: p.read_bytes() for p in good.iterdir()}
    assert "fails.html" in before

    second = write_run_file(
        tmp_path / "b", "jobs:\n  - notebook: fails.ipynb\n  - notebook: ok.ipynb\n"
    )
    code = reports.main(
        ["run", str(second), "--reports-dir", str(out), "--workers", "2", "--no-progress"]
    )
    assert code != 0
    assert (out / "ok" / "ok.html").is_file()
    failed = out / publish.FAILED_DIR / "fails"
    assert (failed / "fails.ipynb").is_file()
    assert "fixture failure requested" in (failed / "error.txt").read_text()
    assert json.loads((failed / "manifest.json").read_text())["status"] == "failed"
    assert {p.name: p.read_bytes() for p in good.iterdir()} == before
    run = json.loads((out / "manifest.json").read_text())
    assert run["counts"] == {"ok": 1, "failed": 1, "timeout": 0}
    index = (out / "index.html").read_text()
    assert "fails/fails.html" in index and "ok/ok.html" in index
    assert not [p for p in out.iterdir() if p.name.startswith((".tmp-", ".old-"))]


def test_hung_kernel_times_out_and_is_killed(tmp_path: Path) -> None:
    pid_file = tmp_path / "kernel.pid"
    run_file = write_run_file(
        tmp_path / "nb",
        "jobs:\n  - notebook: sleeps.ipynb\n"
        f"    parameters: {{pid_file: '{pid_file}'}}\n    timeout: 5\n",
    )
    clock = time.monotonic()
    results = reports.run_jobs(
        reports.load_run_file(run_file), tmp_path / "reports", workers=1, progress=False
    )
    elapsed = time.monotonic() - clock
    assert [r.status for r in results] == ["timeout"]
    assert elapsed < 60
    assert (tmp_path / "reports" / publish.FAILED_DIR / "sleeps" / "sleeps.ipynb").is_file()
    pid = int(pid_file.read_text())
    deadline = time.monotonic() + 10
    while process_alive(pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not process_alive(pid)


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


def test_parallel_jobs_and_show_code(tmp_path: Path) -> None:
    run_file = write_run_file(
        tmp_path / "nb",
        "jobs:\n  - notebook: ok.ipynb\n"
        "    parameter_sets: [{label: a}, {label: b}, {label: c}, {label: d}]\n",
    )
    out = tmp_path / "reports"
    results = reports.run_jobs(
        reports.load_run_file(run_file), out, workers=2, show_code=True, progress=False
    )
    assert [r.status for r in results] == ["ok"] * 4, [r.error for r in results]
    labels = [read_results(Path(r.folder) / f"{r.name}.ipynb")["label"] for r in results]
    assert labels == ["a", "b", "c", "d"]
    html = (out / results[0].name / f"{results[0].name}.html").read_text()
    assert 'class="jp-CodeMirrorEditor' in html and "subplots" in html  # code kept with show_code


def test_dask_executor_on_a_local_cluster(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    run_file = write_run_file(
        tmp_path / "nb",
        "jobs:\n  - notebook: ok.ipynb\n    parameter_sets: [{label: x}, {label: y}]\n"
        "  - notebook: fails.ipynb\n",
    )
    jobs = reports.load_run_file(run_file)
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster:
        results = reports.run_jobs(
            jobs,
            tmp_path / "reports",
            executor="dask",
            scheduler=cluster.scheduler_address,
            progress=False,
        )
    errors = {r.name: r.error for r in results}
    assert {r.name: r.status for r in results} == {
        "ok__label-x": "ok",
        "ok__label-y": "ok",
        "fails": "failed",
    }, errors
    html = (tmp_path / "reports" / "ok__label-x" / "ok__label-x.html").read_text()
    assert (
        'class="jp-CodeMirrorEditor' not in html and "subplots" not in html
    )  # code hidden by default


def test_manifest_records_inputs_and_effective_parameters(tmp_path: Path) -> None:
    run_file = write_run_file(
        tmp_path / "nb", "jobs:\n  - notebook: ok.ipynb\n    parameters: {n_points: 5}\n"
    )
    out = tmp_path / "reports"
    reports.run_jobs(reports.load_run_file(run_file), out, workers=1, progress=False)
    manifest = json.loads((out / "ok" / "manifest.json").read_text())
    assert manifest["parameters"] == {"n_points": 5}
    assert manifest["effective_parameters"]["label"] == "default"
    assert manifest["seeds"] == {"seed": 7}
    hashed = manifest["inputs_sha256"]
    notebook_key = next(k for k in hashed if k.endswith("ok.ipynb"))
    import hashlib

    assert (
        hashed[notebook_key]
        == hashlib.sha256((tmp_path / "nb" / "ok.ipynb").read_bytes()).hexdigest()
    )
    for sub in publish.DATA_SUBDIRS:
        for file in (paths.data_dir() / sub).rglob("*"):
            if file.is_file():
                assert file.relative_to(paths.PROJECT_ROOT).as_posix() in hashed
    assert manifest["packages"]["papermill"]
    assert manifest["started_at"] <= manifest["finished_at"]
    assert os.path.basename(manifest["python_executable"]).startswith("python")
