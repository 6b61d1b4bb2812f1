"""EFFECT 0.5 variant of indep_break_rw_null.py: near-unit-root log intensity plus a coup-like
level shift (x2.7) 365 days before the ceasefire, with the intensity halved during it."""

import importlib.util
from pathlib import Path

_SPEC = importlib.util.spec_from_file_location(
    "indep_break_rw_null", Path(__file__).with_name("indep_break_rw_null.py")
)
_BASE = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(_BASE)
_BASE.RR = 0.5
simulate = _BASE.simulate
