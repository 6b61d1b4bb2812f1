"""environment.yml and pyproject.toml must list the same dependencies with the same bounds."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

from analysis import paths

ROOT = paths.PROJECT_ROOT
NOT_PACKAGES = {"python", "pip"}


def _split_requirement(requirement: str) -> tuple[str, str]:
    match = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", requirement)
    assert match, f"cannot parse requirement {requirement!r}"
    return match.group(1).lower().replace("_", "-"), match.group(2).replace(" ", "")


def pyproject_requirements(pyproject: Path) -> dict[str, str]:
    project = tomllib.loads(pyproject.read_text())["project"]
    requirements = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        requirements.extend(extra)
    return dict(_split_requirement(r) for r in requirements)


def conda_requirements(environment: Path) -> dict[str, str]:
    spec = yaml.safe_load(environment.read_text())
    entries = [d for d in spec["dependencies"] if isinstance(d, str)]
    parsed = dict(_split_requirement(d) for d in entries)
    return {name: bound for name, bound in parsed.items() if name not in NOT_PACKAGES}


def disagreements(pyproject: Path, environment: Path) -> list[str]:
    """Human-readable differences between the two dependency lists."""
    pip_side, conda_side = pyproject_requirements(pyproject), conda_requirements(environment)
    problems = [f"{n} only in pyproject.toml" for n in sorted(set(pip_side) - set(conda_side))]
    problems += [f"{n} only in environment.yml" for n in sorted(set(conda_side) - set(pip_side))]
    problems += [
        f"{n}: pyproject {pip_side[n]!r} vs environment {conda_side[n]!r}"
        for n in sorted(set(pip_side) & set(conda_side))
        if pip_side[n] != conda_side[n]
    ]
    return problems


def test_environment_yml_matches_pyproject() -> None:
    assert disagreements(ROOT / "pyproject.toml", ROOT / "environment.yml") == []


def test_every_dependency_has_a_lower_bound() -> None:
    unbounded = [
        n for n, b in pyproject_requirements(ROOT / "pyproject.toml").items() if ">=" not in b
    ]
    assert unbounded == []


def test_checker_notices_a_drifted_environment(tmp_path: Path) -> None:
    drifted = (ROOT / "environment.yml").read_text().replace("pandas>=2.2", "pandas>=1.0")
    drifted = drifted.replace("  - tqdm>=4.66\n", "")
    (tmp_path / "environment.yml").write_text(drifted)
    problems = disagreements(ROOT / "pyproject.toml", tmp_path / "environment.yml")
    assert "tqdm only in pyproject.toml" in problems
    assert any(p.startswith("pandas:") for p in problems)


def test_python_version_floor_agrees() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    spec = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert project["requires-python"] == ">=3.11"
    assert "python>=3.11" in spec["dependencies"]
