"""NULL variant of indep_break_rw_null.py that is mostly the level shift: the random-walk log level
is scaled by 0.2, so the x2.7 coup-like jump 365 days before the ceasefire dominates."""

import importlib.util
from pathlib import Path

_SPEC = importlib.util.spec_from_file_location(
    "indep_break_rw_null", Path(__file__).with_name("indep_break_rw_null.py")
)
_BASE = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(_BASE)
_BASE.WALK_SCALE = 0.2
simulate = _BASE.simulate
