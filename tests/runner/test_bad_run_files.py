"""Bad-input catalogue, run files of the report runner (``analysis.runner``): each case writes
a run file and expands it with ``analysis.runner.runfile.load_run_file`` (what
``python -m analysis.runner run`` does before anything runs), so bad notebook parameters
(unknown names, wrong types, out-of-range values, unknown vocabulary, dates, paths and
ceasefire ids), bad job names, timeouts and sweeps are rejected before any notebook runs.
Messages name the job, its notebook and the parameter, or the run file, entry and notebook.
The shared machinery is in tests/bad_inputs.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bad_inputs import PATH, Build, Call, Case, run_case
from ethprio_generator import write_ethprio_csv

from analysis.paths import PROJECT_ROOT
from analysis.runner import runfile
from analysis.runner.parameters import RunFileError

NOTEBOOKS = PROJECT_ROOT / "notebooks"
NB01 = "01_strike_timeline.ipynb"
NB02 = "02_ceasefire_effect.ipynb"
NB03 = "03_ceasefire_timing.ipynb"
NB04 = "04_alignment.ipynb"
NB05 = "05_reported_counts.ipynb"


def run_file(text: str, overrides: dict[str, str] | None = None) -> Build:
    """A case that writes a run file (notebook paths relative to the project's notebooks
    folder, as in notebooks/reports.yml) and expands it as `python -m analysis.runner` does.
    ``text`` may contain ``{tmp}`` for the case's temporary folder."""

    def build(tmp: Path) -> tuple[Call, Path]:
        path = tmp / "run.yml"
        body = text.replace("{tmp}", str(tmp)).replace("{notebooks}", str(NOTEBOOKS))
        path.write_text(body, encoding="utf-8")
        return (lambda: runfile.load_run_file(path, overrides)), path

    return build


def one_job(notebook: str, parameters: str, name: str = "job") -> Build:
    """A run file with one job of ``notebook`` (in notebooks/) and the given YAML parameters."""
    return run_file(
        f"jobs:\n  - notebook: {{notebooks}}/{notebook}\n    name: {name}\n"
        f"    parameters: {parameters}\n"
    )


def alignment_ethprio_job() -> Build:
    """A notebook 04 job on a written ETH/PRIO file that leaves truce_id at the curated default."""
    inner = one_job(
        NB04,
        "{ceasefires_source: ethprio, ceasefires_path: '{tmp}/ethprio.csv', country: Colombia}",
    )

    def build(tmp: Path) -> tuple[Call, Path]:
        write_ethprio_csv(tmp / "ethprio.csv", n_ceasefires=8, countries=("Colombia",), seed=3)
        return inner(tmp)

    return build


def ethprio_job(ceasefire_id: str) -> Build:
    """A notebook 02 job on a written ETH/PRIO file (ids 775001... and 100001...)."""
    inner = one_job(
        NB02,
        "{ceasefires_source: ethprio, ceasefires_path: '{tmp}/ethprio.csv', "
        f"country: Colombia, ceasefire_id: '{ceasefire_id}'}}",
    )

    def build(tmp: Path) -> tuple[Call, Path]:
        write_ethprio_csv(tmp / "ethprio.csv", n_ceasefires=8, countries=("Colombia",), seed=3)
        return inner(tmp)

    return build


def _check_no_job_runs(jobs: list) -> None:
    assert jobs == []


def _check_ethprio_job(jobs: list) -> None:
    (job,) = jobs
    assert job.parameters["ceasefire_id"] == "100001"


def job_says(notebook: str, name: str = "job") -> str:
    """Regex for the start of a runner message about one job: its name and notebook."""
    return rf"^job '{re.escape(name)}' \(.*/{re.escape(notebook)}\): "


def entry_says(notebook: str) -> str:
    """Regex for the start of a runner message about a run file entry: file, position,
    notebook."""
    return rf"^{PATH} job #1 \(.*/{re.escape(notebook)}\): "


def _check_bounds_inclusive(jobs: list) -> None:
    (job,) = jobs
    assert job.parameters == {"n_placebos": 100_000, "seed": 0, "pre_days": 7299}


def _check_cli_override(jobs: list) -> None:
    (job,) = jobs
    assert job.parameters["n_placebos"] == 50 and job.parameters["ceasefire_id"] == "mil-2021-04"


CASES: list[Case] = [
    # Notebook parameters, rejected before any notebook runs (analysis.runner.parameters) ------
    Case(
        "runner-unknown-parameter",
        one_job(NB01, "{frequncy: M}"),
        RunFileError,
        job_says(NB01) + r"unknown parameter 'frequncy' \(the notebook declares: .*'?frequency",
    ),
    Case(
        "runner-wrong-type-int-as-text",
        one_job(NB02, "{n_placebos: '99'}"),
        RunFileError,
        job_says(NB02) + r"parameter 'n_placebos' = '99' is str, expected int \(default: 999\)$",
    ),
    Case(
        "runner-wrong-type-text-for-list",
        one_job(NB01, "{regions: Sagaing}"),
        RunFileError,
        job_says(NB01)
        + r"parameter 'regions' = 'Sagaing' is str, expected list \(default: \[\]\)$",
    ),
    Case(
        "runner-wrong-type-bool-for-int",
        one_job(NB02, "{seed: true}"),
        RunFileError,
        job_says(NB02) + r"parameter 'seed' = True is bool, expected int",
    ),
    Case(
        "runner-n-placebos-zero",
        one_job(NB02, "{n_placebos: 0}"),
        RunFileError,
        job_says(NB02) + r"parameter 'n_placebos' = 0 is out of range: expected 1 to 100000$",
    ),
    Case(
        "runner-n-placebos-negative",
        one_job(NB02, "{n_placebos: -5}"),
        RunFileError,
        job_says(NB02) + r"parameter 'n_placebos' = -5 is out of range: expected 1 to 100000$",
    ),
    Case(
        "runner-n-placebos-absurd",
        one_job(NB02, "{n_placebos: 1000000000}"),
        RunFileError,
        job_says(NB02) + r"parameter 'n_placebos' = 1000000000 is out of range: expected 1 to "
        r"100000$",
    ),
    Case(
        "runner-n-permutations-zero",
        one_job(NB03, "{n_permutations: 0}"),
        RunFileError,
        job_says(NB03) + r"parameter 'n_permutations' = 0 is out of range: expected 1 to 100000$",
    ),
    Case(
        "runner-n-placebo-dates-absurd",
        one_job(NB04, "{n_placebo_dates: 1000000000}"),
        RunFileError,
        job_says(NB04) + r"parameter 'n_placebo_dates' = 1000000000 is out of range",
    ),
    Case(
        "runner-seed-negative",
        one_job(NB02, "{seed: -1}"),
        RunFileError,
        job_says(NB02) + r"parameter 'seed' = -1 is out of range: expected 0 to 4294967295$",
    ),
    Case(
        "runner-seed-too-large",
        one_job(NB02, "{seed: 4294967296}"),
        RunFileError,
        job_says(NB02) + r"parameter 'seed' = 4294967296 is out of range: expected 0 to "
        r"4294967295$",
    ),
    Case(
        "runner-pre-days-zero",
        one_job(NB02, "{pre_days: 0}"),
        RunFileError,
        job_says(NB02) + r"parameter 'pre_days' = 0 is out of range: expected 1 to 7299$",
    ),
    Case(
        "runner-window-days-twenty-years",
        one_job(NB03, "{window_days: 7300}"),
        RunFileError,
        job_says(NB03) + r"parameter 'window_days' = 7300 is out of range: expected 1 to 7299$",
    ),
    Case(
        "runner-open-ended-days-negative",
        one_job(NB01, "{open_ended_days: -90}"),
        RunFileError,
        job_says(NB01) + r"parameter 'open_ended_days' = -90 is out of range",
    ),
    Case(
        "runner-pair-max-gap-negative",
        one_job(NB05, "{pair_max_gap_days: -1}"),
        RunFileError,
        job_says(NB05) + r"parameter 'pair_max_gap_days' = -1 is out of range: expected 0 to "
        r"7299$",
    ),
    Case(
        "runner-several-problems-in-one-message",
        one_job(NB02, "{n_placebos: 0, max_during_days: 100000, gapp: interim}"),
        RunFileError,
        job_says(NB02) + r"parameter 'n_placebos' = 0 is out of range: expected 1 to 100000; "
        r"parameter 'max_during_days' = 100000 is out of range: expected 1 to 7299; "
        r"unknown parameter 'gapp'",
    ),
    Case(
        "runner-unknown-frequency",
        one_job(NB01, "{frequency: Q}"),
        RunFileError,
        job_says(NB01) + r"parameter 'frequency' = 'Q': \['Q'\] not allowed; choose from "
        r"\['D', 'W', 'M'\]$",
    ),
    Case(
        "runner-unknown-source",
        one_job(NB02, "{source: gdelt}"),
        RunFileError,
        job_says(NB02) + r"parameter 'source' = 'gdelt': \['gdelt'\] not allowed; choose from "
        r"\['ucdp_daily', 'ucdp_ged', 'ucdp_candidate', 'acled'\]$",
    ),
    Case(
        "runner-unknown-bloc-in-list",
        one_job(NB01, "{blocs: [China, EU]}"),
        RunFileError,
        job_says(NB01) + r"parameter 'blocs' = \['China', 'EU'\]: \['EU'\] not allowed; "
        r"choose from \['China', 'Russia', 'India', 'Japan', 'ASEAN', 'West', 'other'\]$",
    ),
    Case(
        "runner-date-day-first",
        one_job(NB01, "{start: 01/02/2021}"),
        RunFileError,
        job_says(NB01) + r"parameter 'start' = '01/02/2021' is not a date: expected YYYY-MM-DD",
    ),
    Case(
        "runner-date-impossible",
        one_job(NB02, "{series_end: '2023-02-30'}"),
        RunFileError,
        job_says(NB02) + r"parameter 'series_end' = '2023-02-30' is not a date",
    ),
    Case(
        "runner-events-path-not-found",
        one_job(NB01, "{source: acled, events_path: '{tmp}/no_such_export.csv'}"),
        RunFileError,
        job_says(NB01) + r"parameter 'events_path' = '.*no_such_export.csv': file not found",
    ),
    Case(
        "runner-calendar-path-not-found",
        one_job(NB03, "{calendar_path: '{tmp}/no_such_calendar.csv'}"),
        RunFileError,
        job_says(NB03) + r"parameter 'calendar_path' = '.*no_such_calendar.csv': file not found",
    ),
    Case(
        "runner-timing-unknown-ceasefires-source",
        one_job(NB03, "{ceasefires_source: ucdp}"),
        RunFileError,
        job_says(NB03) + r"parameter 'ceasefires_source' = 'ucdp': \['ucdp'\] not allowed",
    ),
    Case(
        "runner-alignment-national-counterparty-sides-removed",
        one_job(NB04, "{national_counterparty_sides: [ethnic_armed_organisation]}"),
        RunFileError,
        job_says(NB04) + r"unknown parameter 'national_counterparty_sides'",
    ),
    # An ETH/PRIO job that keeps the curated default truce is skipped with its reason (listed
    # in tests/runner/test_runfile.py), not run on an id the ETH/PRIO file does not have.
    Case(
        "runner-alignment-ethprio-keeps-the-curated-truce",
        alignment_ethprio_job(),
        None,
        check=_check_no_job_runs,
    ),
    Case(
        "runner-data-dir-not-found",
        one_job(NB01, "{data_dir: '{tmp}/no_such_folder'}"),
        RunFileError,
        job_says(NB01) + r"parameter 'data_dir' = '.*no_such_folder': folder not found",
    ),
    Case(
        "runner-unknown-ceasefire-id",
        one_job(NB02, "{ceasefire_id: mil-eq-2025-4}"),
        RunFileError,
        job_says(NB02) + r"parameter 'ceasefire_id': unknown ceasefire_id\(s\) "
        r"\['mil-eq-2025-4'\]; did you mean \[.*'mil-eq-2025-04'.*\]\? \(\d+ ids are listed",
    ),
    Case(
        "runner-unknown-ceasefire-in-list",
        one_job(NB01, "{ceasefire_ids: [aa-mil-2022-11, no-such-truce]}"),
        RunFileError,
        job_says(NB01) + r"parameter 'ceasefire_ids': unknown ceasefire_id\(s\) "
        r"\['no-such-truce'\]",
    ),
    Case(
        "runner-unknown-truce-id",
        one_job(NB04, "{truce_id: aa-mil-2022-12}"),
        RunFileError,
        job_says(NB04) + r"parameter 'truce_id': unknown ceasefire_id\(s\) \['aa-mil-2022-12'\]",
    ),
    Case(
        "runner-unknown-ceasefire-id-in-parameter-set",
        run_file(
            "jobs:\n  - notebook: {notebooks}/" + NB02 + "\n    name: effect\n"
            "    parameter_sets: [{ceasefire_id: aa-mil-2022-11}, {ceasefire_id: aa-mil-2022}]\n"
        ),
        RunFileError,
        job_says(NB02, "effect__ceasefire_id-aa-mil-2022")
        + r"parameter 'ceasefire_id': unknown ceasefire_id\(s\) \['aa-mil-2022'\]",
    ),
    Case(
        "runner-ethprio-ceasefire-id-is-checked-in-the-ethprio-file",
        ethprio_job("775050"),
        RunFileError,
        job_says(NB02) + r"parameter 'ceasefire_id': unknown ceasefire_id\(s\) \['775050'\]",
    ),
    Case(
        "runner-ethprio-ceasefire-id-known", ethprio_job("100001"), None, check=_check_ethprio_job
    ),
    Case(
        "runner-unknown-ceasefires-source",
        one_job(NB02, "{ceasefires_source: acled}"),
        RunFileError,
        job_says(NB02) + r"parameter 'ceasefires_source' = 'acled': \['acled'\] not allowed",
    ),
    # Run file entries: sweeps, job names, timeouts, overrides (analysis.runner.runfile) -------
    Case(
        "runner-sweep-matches-no-ceasefire",
        run_file(
            "jobs:\n  - notebook: {notebooks}/" + NB02 + "\n"
            "    sweep: {parameter: ceasefire_id, from: ceasefires, "
            "where: {ceasefire_id: no-such-truce}}\n"
        ),
        RunFileError,
        entry_says(NB02) + r"sweep matches no row of 'ceasefires' "
        r"\(where: \{'ceasefire_id': 'no-such-truce'\}\); check the filter values$",
    ),
    Case(
        "runner-job-name-with-dotdot",
        one_job(NB01, "{}", name="../../outside"),
        RunFileError,
        entry_says(NB01) + r"job name '../../outside' is not a plain folder name .* e\.g\. "
        r"'outside'$",
    ),
    Case(
        "runner-job-name-absolute",
        one_job(NB01, "{}", name="/tmp/report"),
        RunFileError,
        entry_says(NB01) + r"job name '/tmp/report' is not a plain folder name",
    ),
    Case(
        "runner-job-name-failed-folder",
        one_job(NB01, "{}", name="_failed"),
        RunFileError,
        entry_says(NB01) + r"job name '_failed' is not a plain folder name",
    ),
    Case(
        "runner-timeout-zero",
        run_file("jobs:\n  - notebook: {notebooks}/" + NB01 + "\n    timeout: 0\n"),
        RunFileError,
        entry_says(NB01) + r"timeout must be a positive number of seconds, not 0$",
    ),
    Case(
        "runner-cli-override-out-of-range",
        run_file("jobs:\n  - notebook: {notebooks}/" + NB02 + "\n", {"n_placebos": "0"}),
        RunFileError,
        job_says(NB02, "02_ceasefire_effect") + r"parameter 'n_placebos' = 0 is out of range",
    ),
    Case(
        "runner-bounds-are-inclusive",
        one_job(NB02, "{n_placebos: 100000, seed: 0, pre_days: 7299}"),
        None,
        check=_check_bounds_inclusive,
    ),
    Case(
        "runner-cli-override-typed-and-checked",
        run_file(
            "jobs:\n  - notebook: {notebooks}/" + NB02 + "\n    parameters: {n_placebos: 9}\n",
            {"n_placebos": "50", "ceasefire_id": "mil-2021-04"},
        ),
        None,
        check=_check_cli_override,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_bad_run_file(case: Case, tmp_path: Path) -> None:
    run_case(case, tmp_path)
