"""A map of the cities: lat/lon scatter over China's province outlines.

The outlines come from the Digital Chart of the World as packaged for GMT
(Debian package gmt-dcw, a netCDF-4 file that h5py reads): each province
CNxx has <code>_lon/_lat as uint16 offsets scaled into its bounding box,
65535 separating the polygon's pieces.
"""
import pathlib

import h5py
import numpy as np
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.lines import Line2D

from . import messages, style
from .messages import t

DCW_FILE = pathlib.Path("/usr/share/gmt-dcw/dcw-gmt.nc")
CHINA_EXTENT = (73.0, 135.5, 17.5, 54.0)  # lon min, lon max, lat min, lat max
# Well-known resource cities, labelled when the run holds them.
NOTABLE = ["大庆市", "鄂尔多斯市", "阜新市", "攀枝花市", "克拉玛依市", "伊春市", "白银市"]

_outlines = None


def province_outlines(path=DCW_FILE, step=0.03):
    """List of (lon, lat) pieces of China's province boundaries, thinned to `step` degrees; [] if absent."""
    global _outlines
    if _outlines is not None and path == DCW_FILE:
        return _outlines
    pieces = []
    if not pathlib.Path(path).exists():
        return pieces
    with h5py.File(path, "r") as f:
        codes = sorted(k[:-4] for k in f if k.startswith("CN") and k.endswith("_lon") and len(k) == 8)
        for code in codes:
            lon_ds, lat_ds = f[code + "_lon"], f[code + "_lat"]
            raw_lon, raw_lat = lon_ds[()], lat_ds[()]
            lon = float(lon_ds.attrs["min"][0]) + raw_lon / float(lon_ds.attrs["scale"][0])
            lat = float(lat_ds.attrs["min"][0]) + raw_lat / float(lat_ds.attrs["scale"][0])
            breaks = np.flatnonzero(raw_lon == 65535)
            for a, b in zip(np.r_[0, breaks + 1], np.r_[breaks, len(raw_lon)]):
                x, y = lon[a:b], lat[a:b]
                # Thin to one point per grid cell of `step` degrees: enough at map scale.
                cell = np.round(x / step) * 100000 + np.round(y / step)
                keep = np.r_[True, cell[1:] != cell[:-1]]
                if keep.sum() >= 4:
                    pieces.append((x[keep], y[keep]))
    if path == DCW_FILE:
        _outlines = pieces
    return pieces


def _label_text(zh, en):
    if messages.language() == "zh":
        return zh
    return f"{zh} {en}" if style.has_cjk() else en


def _place_labels(fig, ax, points, texts, avoid=()):
    """Annotate points, trying offsets until a label overlaps no earlier label or marker box."""
    renderer = fig.canvas.get_renderer()
    placed = list(avoid)
    offsets = [(8, 8), (8, -14), (-8, 8), (-8, -14), (14, 0), (-14, 0), (0, 16), (0, -20),
               (24, 22), (-24, 22), (24, -28), (-24, -28), (40, 0), (-40, 0)]
    for (x, y), text in zip(points, texts):
        for dx, dy in offsets:
            note = ax.annotate(text, (x, y), xytext=(dx, dy), textcoords="offset points", fontsize=9,
                               ha="left" if dx > 0 else ("right" if dx < 0 else "center"),
                               va="bottom" if dy > 0 else ("top" if dy < 0 else "center"),
                               bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.8),
                               arrowprops=dict(arrowstyle="-", color="0.3", linewidth=0.6)
                               if abs(dx) + abs(dy) > 30 else None)
            box = note.get_window_extent(renderer).expanded(1.05, 1.1)
            inside = ax.get_window_extent(renderer).contains(box.x0, box.y0) and \
                ax.get_window_extent(renderer).contains(box.x1, box.y1)
            if inside and not any(box.overlaps(p) for p in placed):
                placed.append(box)
                break
            note.remove()


def city_map(run, indicator, path):
    """Cities coloured by the median (over replicates) of `indicator` at the last reported month."""
    last = len(run.months) - 1
    values = run.city_median(indicator, last)
    no_values = values is None
    if no_values:
        values = np.full(len(run.cities["id"]), np.nan)
    units = run.units(indicator)
    factor, unit = style.display_unit(units, values)
    shown = values * factor
    lon, lat = run.cities["lon"], run.cities["lat"]
    fig = style.figure(style.MAP_SIZE)
    ax = fig.add_subplot()
    outlines = province_outlines()
    if np.ptp(lon) > 20:
        x0, x1, y0, y1 = CHINA_EXTENT
    else:
        pad = max(0.5, 0.1 * max(np.ptp(lon), np.ptp(lat)))
        x0, x1, y0, y1 = lon.min() - pad, lon.max() + pad, lat.min() - pad, lat.max() + pad
    if outlines:
        ax.add_collection(PolyCollection([np.column_stack(p) for p in outlines], facecolor="#f3f1ea",
                                         edgecolor="none", zorder=0))
        ax.add_collection(LineCollection([np.column_stack(p) for p in outlines], colors="#8a8a8a",
                                         linewidths=0.5, zorder=1))
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect(1.0 / np.cos(np.radians(0.5 * (y0 + y1))))  # equirectangular, true shape at mid-latitude
    ax.set_xlabel(t("longitude"))
    ax.set_ylabel(t("latitude"))
    finite = shown[np.isfinite(shown)]
    vmin, vmax = (np.percentile(finite, [2, 98]) if finite.size else (0, 1))
    category = run.cities.get("category_2013", np.array(["growing"] * len(lon), dtype=object))
    handles = []
    scatter = None
    for cat, marker in style.CATEGORY_MARKERS.items():
        m = category == cat
        if not m.any():
            continue
        colours = dict(color="0.6") if no_values else dict(c=shown[m], cmap="plasma_r", vmin=vmin, vmax=vmax)
        scatter = ax.scatter(lon[m], lat[m], marker=marker, s=34, edgecolors="0.2", linewidths=0.4, zorder=3,
                             **colours)
        handles.append(Line2D([], [], marker=marker, linestyle="", markerfacecolor="0.7",
                              markeredgecolor="0.2", label=t("map_class_entry", category=messages.category(cat),
                                                             n=m.sum())))
    ax.legend(handles=handles, title=t("map_class_legend"), loc="lower left", fontsize=9)
    year = str(run.dates[last])
    if scatter is not None and not no_values:
        fig.colorbar(scatter, ax=ax, shrink=0.75, extend="both",
                     label=style.axis_label(t("map_colour", indicator=messages.indicator_short(indicator).lower(),
                                              year=year[:4] if messages.language() == "zh" else year), unit))
    # Label the notable cities and the three with the highest values.
    ids = run.cities["id"].astype(str).astype(object)
    zh, en = run.cities.get("city_name_zh", ids), run.cities.get("city_name_en", ids)
    chosen = [i for i, name in enumerate(zh) if name in NOTABLE]
    order = np.argsort(np.where(np.isfinite(shown), shown, -np.inf))[::-1]
    top = [int(i) for i in order[:3] if np.isfinite(shown[i])]
    chosen = top + [i for i in chosen if i not in top]
    digits = 2 if finite.size and np.ptp(finite) < 2 else 1  # enough to tell the highest apart
    texts = [_label_text(zh[i], en[i]) + (f"  {shown[i]:.{digits}f} {unit}" if i in top else "") for i in chosen]
    fig.canvas.draw()
    legend_box = ax.get_legend().get_window_extent(fig.canvas.get_renderer())
    _place_labels(fig, ax, [(lon[i], lat[i]) for i in chosen], texts, avoid=[legend_box])
    outline_note = t("outlines") if outlines else t("no_outlines")
    what = t("map_no_values") if no_values else t("map_values", n=len(run.replicates), year=year)
    ax.set_title(t("map_title", label=run.label, n=len(lon), what=what, outlines=outline_note), fontsize=10)
    return style.save(fig, path)
