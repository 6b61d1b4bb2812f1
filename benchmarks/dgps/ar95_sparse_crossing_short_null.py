"""DGP: AR 0.95, ~0.5 events/day (sparse), no effect, a 10-day ceasefire declared after a spike
found on the past only (the first day the trailing 30-day mean reaches the 90th percentile of
the two years before: a stopping time, see _latent.py). Short truces at busy moments are where
a blank window is most tempting to read as a fall.

Latent AR(1) log-intensity (stationary sd 0.6), linear trend +0.15 log per year, annual
cycle (amplitude 0.3, dry-season peak in March), weekday cycle (amplitude 0.1), gamma noise
(shape 2). See _latent.py for the generator.
"""

import importlib.util
from pathlib import Path

import numpy as np

_SPEC = importlib.util.spec_from_file_location("_latent", Path(__file__).with_name("_latent.py"))
_LATENT = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(_LATENT)


def simulate(rng: np.random.Generator, runs: int) -> dict:
    """Simulated series for the validation harness (see the module docstring)."""
    return _LATENT.simulate_series(
        rng,
        runs,
        latent_sd=0.6,
        trend_per_year=0.15,
        season_amplitude=0.3,
        weekday_amplitude=0.1,
        gamma_shape=2.0,
        mean=0.5,
        phi=0.95,
        true_rate_ratio=1.0,
        spike_selected=True,
        spike_rule="first_crossing",
        during_days=10,
    )
