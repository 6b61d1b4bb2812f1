"""Reproducibility: the same run file on the same inputs gives the same numbers and figures.

Two independent runner runs of notebooks 01 and 02 must record byte-identical results and
byte-identical PNG figures, and every manifest must record the seed that was used. A third
job with another seed shows that nothing but the recorded seed and the placebo p-values
changes: 02's placebos enumerate their pseudo-windows instead of drawing them, and the seed
only orders pseudo-windows tied with the observed ratio.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

import nbformat
import pytest

from analysis import paths
from analysis.results import read_results
from analysis.runner import manifest, parameters, publish, runfile, schedule

NOTEBOOKS = paths.PROJECT_ROOT / "notebooks"
NB01 = NOTEBOOKS / "01_strike_timeline.ipynb"
NB02 = NOTEBOOKS / "02_ceasefire_effect.ipynb"
SEED_A = 12345
SEED_B = 54321
N_PLACEBOS = 19


def run_file(folder: Path, with_second_seed: bool) -> Path:
    text = (
        "jobs:\n"
        f"  - notebook: {NB01}\n    name: timeline\n"
        f"  - notebook: {NB02}\n    name: effect\n"
        f"    parameters: {{n_placebos: {N_PLACEBOS}, seed: {SEED_A}}}\n"
    )
    if with_second_seed:
        text += (
            f"  - notebook: {NB02}\n    name: effect_other_seed\n"
            f"    parameters: {{n_placebos: {N_PLACEBOS}, seed: {SEED_B}}}\n"
        )
    path = folder / "run.yml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Report folders of two separate runs of the same jobs (the second with one more)."""
    outs = []
    for label, extra in (("first", False), ("second", True)):
        folder = tmp_path_factory.mktemp(label)
        jobs = runfile.load_run_file(run_file(folder, extra))
        results = schedule.run_jobs(jobs, folder / "reports", workers=2, progress=False)
        assert all(r.status == "ok" for r in results), [r.error for r in results]
        outs.append(folder / "reports")
    return outs[0], outs[1]


def pngs(notebook: Path) -> list[bytes]:
    """Every PNG figure in an executed notebook, in output order."""
    nb = nbformat.read(notebook, as_version=4)
    found = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            payload = output.get("data", {}).get("image/png")
            if payload is not None:
                text = "".join(payload) if isinstance(payload, list) else payload
                found.append(base64.b64decode(text))
    return found


@pytest.mark.parametrize("job", ["timeline", "effect"])
def test_recorded_results_are_byte_identical(two_runs: tuple[Path, Path], job: str) -> None:
    first, second = (read_results(out / job / f"{job}.ipynb") for out in two_runs)
    assert first, "the notebook recorded no results"
    assert json.dumps(first, sort_keys=True) == json.dumps(second, sort_keys=True)


@pytest.mark.parametrize("job", ["timeline", "effect"])
def test_figures_are_byte_identical(two_runs: tuple[Path, Path], job: str) -> None:
    first, second = (pngs(out / job / f"{job}.ipynb") for out in two_runs)
    assert first, "the notebook drew no figure"
    assert first == second
    thumbnails = [(out / job / publish.THUMBNAIL).read_bytes() for out in two_runs]
    assert thumbnails[0] == thumbnails[1]


def test_manifests_record_the_seed_used(two_runs: tuple[Path, Path]) -> None:
    out = two_runs[1]
    declared = parameters.notebook_parameters(NB02)["seed"].default
    manifests = {
        job: json.loads((out / job / manifest.MANIFEST).read_text(encoding="utf-8"))
        for job in ("effect", "effect_other_seed", "timeline")
    }
    assert manifests["effect"]["seeds"] == {"seed": SEED_A}
    assert manifests["effect_other_seed"]["seeds"] == {"seed": SEED_B}
    assert manifests["effect"]["effective_parameters"]["n_placebos"] == N_PLACEBOS
    assert manifests["timeline"]["seeds"] == {}  # notebook 01 draws nothing at random
    assert declared != SEED_A  # the manifest shows the run file's seed, not the default
    first = json.loads((two_runs[0] / "effect" / manifest.MANIFEST).read_text(encoding="utf-8"))
    assert first["inputs_sha256"] == manifests["effect"]["inputs_sha256"]


def test_another_seed_changes_only_the_recorded_seed(two_runs: tuple[Path, Path]) -> None:
    out = two_runs[1]
    a = read_results(out / "effect" / "effect.ipynb")
    b = read_results(out / "effect_other_seed" / "effect_other_seed.ipynb")
    differing = {k for k in a.keys() | b.keys() if a.get(k) != b.get(k)}
    assert differing, "the seed given is not recorded with the placebo results"
    # the seed orders pseudo-windows tied with the observed ratio (discrete counts), so the
    # placebo p-values (and the key number quoting one) may move; nothing else may
    allowed = {"placebo_p_value", "matched_placebo_p_value", "key_numbers"}
    assert all(k.endswith("seed") or k in allowed for k in differing), differing
    if "key_numbers" in differing:
        moved = [
            x["label"] for x, y in zip(a["key_numbers"], b["key_numbers"], strict=True) if x != y
        ]
        assert all("placebo" in label.lower() for label in moved), moved
    for key in ("placebo", "matched_placebo"):
        if f"{key}_p_value" in differing:  # still on the grid of its own resolution
            steps = a[f"{key}_p_value"] / a[f"{key}_resolution"]
            assert steps == pytest.approx(round(steps)), key
