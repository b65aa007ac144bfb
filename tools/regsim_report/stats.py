"""The report's statistics, written once: quantiles over replicates that stay fast when a few values
are NaN, and the 90 % Wilson interval of a share (the engine's scenario/statistics.hpp, same z)."""
import numpy as np

Z90 = 1.6448536269514722  # two-sided 90 % normal quantile, as the engine's z90


def wilson(p, n, z=Z90):
    """90 % Wilson interval for a share p of n (arrays allowed)."""
    p = np.asarray(p, dtype=float)
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return centre - half, centre + half


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
