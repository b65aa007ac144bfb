"""Quantiles over replicates that stay fast when a few values are NaN."""
import numpy as np


def quantiles(data, q, axis=0):
    """np.nanquantile, but only slices holding NaN take numpy's slow per-slice path."""
    data = np.asarray(data, dtype=float)
    if not np.isnan(data).any():
        return np.quantile(data, q, axis=axis)
    # Sorting puts NaN last; pick each slice's quantile among its finite values (linear interpolation).
    moved = np.moveaxis(data, axis, -1)
    ordered = np.sort(moved, axis=-1)
    count = np.sum(~np.isnan(moved), axis=-1)
    qs = np.atleast_1d(np.asarray(q, dtype=float))
    out = np.full(qs.shape + count.shape, np.nan)
    for k, qk in enumerate(qs):
        pos = qk * np.maximum(count - 1, 0)
        lo = np.floor(pos).astype(int)
        hi = np.minimum(lo + 1, np.maximum(count - 1, 0))
        a = np.take_along_axis(ordered, lo[..., None], axis=-1)[..., 0]
        b = np.take_along_axis(ordered, hi[..., None], axis=-1)[..., 0]
        out[k] = np.where(count > 0, a + (pos - lo) * (b - a), np.nan)
    return out if np.ndim(q) else out[0]
