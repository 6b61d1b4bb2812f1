"""Notebook parameters: declarations read from the parameters cell, types and CLI values."""

from __future__ import annotations

import pytest
from runner_fixtures import OK

from analysis.runner import parameters


def test_parameters_cell_types_come_from_annotations_and_defaults() -> None:
    declared = parameters.parse_parameters_cell(
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
    declared = parameters.notebook_parameters(OK)
    with pytest.raises(parameters.RunFileError) as error:
        parameters.check_parameters(OK, "my_job", {"n_pionts": 3}, declared)
    message = str(error.value)
    assert "my_job" in message and "ok.ipynb" in message and "n_pionts" in message


@pytest.mark.parametrize(
    ("name", "value"),
    [("n_points", "12"), ("n_points", True), ("label", 2021), ("scale", "1.5"), ("n_points", 1.5)],
)
def test_wrong_types_are_rejected(name: str, value: object) -> None:
    declared = parameters.notebook_parameters(OK)
    with pytest.raises(parameters.RunFileError, match=name):
        parameters.check_parameters(OK, "job", {name: value}, declared)


def test_int_for_float_parameter_becomes_float_and_optional_accepts_none() -> None:
    declared = parameters.notebook_parameters(OK)
    checked = parameters.check_parameters(OK, "job", {"scale": 2, "note": None}, declared)
    assert checked == {"scale": 2.0, "note": None}
    assert type(checked["scale"]) is float


def test_cli_values_follow_the_declared_type_instead_of_guessing() -> None:
    declared = parameters.notebook_parameters(OK)
    # papermill's -p would turn these into int / float; text parameters must stay text.
    assert parameters.convert_cli_value("2021", declared["label"]) == "2021"
    assert parameters.convert_cli_value("1e3", declared["label"]) == "1e3"
    assert parameters.convert_cli_value("12", declared["n_points"]) == 12
    assert parameters.convert_cli_value("3", declared["scale"]) == 3.0
    assert parameters.convert_cli_value("null", declared["note"]) is None
