"""The report's one statistics module agrees with the engine: its Wilson interval reproduces the
intervals a run file stores for every goal and group."""
import h5py
import numpy as np

from regsim_report import stats


def test_wilson_matches_the_engine_intervals(runs):
    checked = 0
    for path in runs.values():
        with h5py.File(path, "r") as f:
            g = f["goals"]
            if "probability_by_group" not in g:
                continue
            n = g["met"].shape[0]
            p = g["probability_by_group"][()]
            lo, hi = stats.wilson(p, n)
            ok = ~np.isnan(p)
            np.testing.assert_allclose(lo[ok], g["probability_low_by_group"][()][ok], atol=1e-12)
            np.testing.assert_allclose(hi[ok], g["probability_high_by_group"][()][ok], atol=1e-12)
            checked += int(ok.sum())
    assert checked > 0
