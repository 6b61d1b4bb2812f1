"""Run files: expansion into jobs, safe names, parameter sets and sweeps."""

from __future__ import annotations

import csv
from pathlib import Path

import nbformat
import pytest
from ethprio_generator import ged_dyads, government, write_ethprio_csv, write_ged_csv
from factories import write_acled_2025
from runner_fixtures import write_run_file

from analysis import paths
from analysis.ceasefire_table import load_ceasefires
from analysis.runner import parameters, runfile


def test_yaml_dates_stay_text(tmp_path: Path) -> None:
    run_file = write_run_file(
        tmp_path, "jobs:\n  - notebook: ok.ipynb\n    parameters: {label: 2021-02-01}\n"
    )
    (job,) = runfile.load_run_file(run_file)
    assert job.parameters == {"label": "2021-02-01"}


@pytest.mark.parametrize(
    "raw",
    ["../../etc/passwd", "/abs/path", "..", "a/../../b", "_failed", ".hidden", "  ", "é ü"],
)
def test_slugs_cannot_escape_the_reports_folder(raw: str, tmp_path: Path) -> None:
    slug = runfile.slugify(raw)
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
    jobs = runfile.load_run_file(run_file)
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
    jobs = runfile.load_run_file(run_file)
    assert [j.parameters["ceasefire_id"] for j in jobs] == expected
    assert len({j.name for j in jobs}) == len(jobs)


def test_duplicate_job_names_are_rejected(tmp_path: Path) -> None:
    run_file = write_run_file(tmp_path, "jobs:\n  - notebook: ok.ipynb\n  - notebook: ok.ipynb\n")
    with pytest.raises(parameters.RunFileError, match="unique"):
        runfile.load_run_file(run_file)


def _events_notebook(folder: Path) -> Path:
    """A notebook declaring the event-source and window parameters notebook 02 declares."""
    notebook = folder / "effect.ipynb"
    cell = nbformat.v4.new_code_cell(
        'ceasefire_id: str = ""\nsource: str = "ucdp_daily"\nevents_path: str = ""\n'
        'series_start: str = ""\nseries_end: str = ""\npre_days: int = 90\n'
    )
    cell.metadata["tags"] = ["parameters"]
    nbformat.write(nbformat.v4.new_notebook(cells=[cell]), notebook)
    return notebook


def test_sweep_keeps_only_ceasefires_whose_windows_fit_the_jobs_data(tmp_path: Path) -> None:
    _events_notebook(tmp_path)
    pull = tmp_path / "pull.csv"
    write_acled_2025(pull)
    run_file = tmp_path / "run.yml"
    run_file.write_text(
        "jobs:\n  - notebook: effect.ipynb\n"
        "    sweep: {parameter: ceasefire_id, from: ceasefires, where: {trigger: earthquake}}\n"
    )
    with paths.curated_path("ceasefires.csv").open(newline="", encoding="utf-8") as handle:
        quake = [r for r in csv.DictReader(handle) if r["trigger"] == "earthquake"]
    # by hand: the file covers 23 Jan - 16 May 2025; the June extensions start after it
    after_the_file = {r["ceasefire_id"] for r in quake if r["effective_from"] > "2025-05-16"}
    assert after_the_file == {"mil-eq-2025-06", "tba-eq-2025-06"}
    plan = runfile.plan_run_file(run_file, {"source": "acled", "events_path": str(pull)})
    assert [j.parameters["ceasefire_id"] for j in plan.jobs] == [
        r["ceasefire_id"] for r in quake if r["ceasefire_id"] not in after_the_file
    ]
    assert {s.parameters["ceasefire_id"] for s in plan.skipped} == after_the_file
    assert all("after the data end" in s.reason for s in plan.skipped)
    # the bundled data end 2023-12-31: every earthquake ceasefire is left out, none fails
    bundled = runfile.plan_run_file(run_file)
    assert bundled.jobs == [] and len(bundled.skipped) == len(quake)
    # a baseline shorter than the minimum is a reason too: start the series late
    late = runfile.plan_run_file(
        run_file,
        {"source": "acled", "events_path": str(pull), "series_start": "2025-03-20"},
    )
    reasons = {s.parameters["ceasefire_id"]: s.reason for s in late.skipped}
    assert "only 12 days of data before the declaration" in reasons["tba-eq-2025-04"]


def test_bundled_data_parameters_apply_only_to_jobs_on_the_bundled_data(tmp_path: Path) -> None:
    _events_notebook(tmp_path)
    pull = tmp_path / "pull.csv"
    write_acled_2025(pull)
    run_file = tmp_path / "run.yml"
    run_file.write_text(
        'bundled_data_parameters: {series_start: "2018-01-01", series_end: "2023-12-31",'
        ' start: "2018-01-01"}\n'
        "jobs:\n  - notebook: effect.ipynb\n    parameters: {ceasefire_id: aa-mil-2022-11}\n"
    )
    (job,) = runfile.load_run_file(run_file)
    # only the names the notebook declares, and entry parameters still win over them
    assert job.parameters == {
        "series_start": "2018-01-01",
        "series_end": "2023-12-31",
        "ceasefire_id": "aa-mil-2022-11",
    }
    plan = runfile.plan_run_file(run_file, {"source": "acled", "events_path": str(pull)})
    assert plan.jobs == []
    (skipped,) = plan.skipped
    assert "series_start" not in skipped.parameters
    assert skipped.reason.startswith("ceasefire_id aa-mil-2022-11: declared")


@pytest.fixture(scope="module")
def ethprio_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("ethprio_run")
    truth = write_ethprio_csv(folder / "ethprio.csv", n_ceasefires=12, seed=11)
    colombia = truth[~truth["skipped"] & (truth["country"] == "Colombia")]
    write_ged_csv(folder / "ged.csv", dyads=ged_dyads(colombia), start="1995-01-01", rate=0.05)
    return {
        "ceasefires_source": "ethprio",
        "ceasefires_path": str(folder / "ethprio.csv"),
        "country": "Colombia",
        "source": "ucdp_ged",
        "events_path": str(folder / "ged.csv"),
    }


def test_only_checks_the_selected_jobs_of_the_project_run_file(ethprio_files) -> None:
    plan = runfile.plan_run_file(
        paths.PROJECT_ROOT / "notebooks" / "reports.yml", ethprio_files, only=["all_ceasefires"]
    )
    assert [j.name for j in plan.jobs] == ["all_ceasefires"] and plan.skipped == []
    assert plan.jobs[0].parameters["country"] == "Colombia"


def test_only_with_a_sweep_name_keeps_every_job_of_the_sweep() -> None:
    run_file = paths.PROJECT_ROOT / "notebooks" / "reports.yml"
    plan = runfile.plan_run_file(run_file, only=["ceasefire_effect"])
    names = [job.name for job in [*plan.jobs, *plan.skipped]]
    assert names and all(name.startswith("ceasefire_effect__") for name in names)
    assert not any(name.startswith("ceasefire_effect_earthquake") for name in names)


def test_curated_ids_are_skipped_with_a_reason_when_the_run_reads_ethprio(ethprio_files) -> None:
    run_file = paths.PROJECT_ROOT / "notebooks" / "reports.yml"
    plan = runfile.plan_run_file(run_file, ethprio_files, only=["ceasefire_effect*"])
    assert plan.jobs == [] and plan.skipped
    curated = set(load_ceasefires()["ceasefire_id"])
    for job in plan.skipped:
        assert job.parameters["ceasefire_id"] in curated
        assert "curated Myanmar id" in job.reason and "ethprio.csv" in job.reason


def test_an_ethprio_id_left_out_by_the_loader_or_unquoted_is_named_plainly(tmp_path: Path) -> None:
    actor = (government("Colombia"), 1, 100, 10002, 1001)
    dated = {"country": "Colombia", "cf_id": 1, "actors": [actor], "declared": (2019, 3, 1)}
    undated = {**dated, "cf_id": 2, "declared": (0, 0, 0)}
    write_ethprio_csv(tmp_path / "ethprio.csv", [dated, undated], n_ceasefires=0)
    notebook = paths.PROJECT_ROOT / "notebooks" / "02_ceasefire_effect.ipynb"
    run_file = tmp_path / "run.yml"
    for given, message in [
        ("'100002'", "ceasefire 100002 is in the file but was left out: neither the declaration"),
        ("100001", "= 100001 is int, expected str .*; write it in quotes: '100001'"),
    ]:
        run_file.write_text(
            f"jobs:\n  - notebook: {notebook}\n    parameters: {{ceasefires_source: ethprio, "
            f"ceasefires_path: '{tmp_path}/ethprio.csv', country: Colombia, "
            f"ceasefire_id: {given}}}\n"
        )
        with pytest.raises(parameters.RunFileError, match=message):
            runfile.plan_run_file(run_file)
