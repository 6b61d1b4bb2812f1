"""EFFECT 0.5 variant of indep_spike_selected_null.py: the same offensive-peak generator, with
the intensity halved during the ceasefire."""

import importlib.util
from pathlib import Path

_SPEC = importlib.util.spec_from_file_location(
    "indep_spike_selected_null", Path(__file__).with_name("indep_spike_selected_null.py")
)
_BASE = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(_BASE)
_BASE.RR = 0.5
simulate = _BASE.simulate
