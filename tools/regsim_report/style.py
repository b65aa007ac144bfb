"""Figure sizes, fonts, colours and readable units shared by every chart."""
import pathlib

import matplotlib

matplotlib.use("Agg")  # files only, no display
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib import font_manager  # noqa: E402

from . import messages  # noqa: E402

DPI = 100
# Figure sizes in inches, whole quarter inches so a PNG is exactly size x DPI pixels (no tight bounding box).
FAN_SIZE = (12.0, 7.0)
HEATMAP_CATEGORY_SIZE = (12.0, 4.5)
HEATMAP_PROVINCE_SIZE = (9.0, 10.0)
THRESHOLD_SIZE = (12.0, 4.5)
MAP_SIZE = (12.0, 8.5)
TIMELINE_SIZE = (12.0, 7.5)  # plus rows per policy (events.timeline_size)
DISCOVERY_SIZE = (13.0, 5.5)
TREE_SIZE = (13.0, 6.0)

# Fonts that carry CJK glyphs, from Debian packages (tools/setup installs fonts-wqy-microhei).
CJK_FONT_FILES = [
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
]

SCENARIO_COLOURS = ["#1f5fa8", "#d2572b", "#2a8c4a", "#8b4fb0", "#b08a1f", "#2b9fb0"]
CATEGORY_ORDER = ["growing", "mature", "declining", "regenerating"]
CATEGORY_MARKERS = {"growing": "o", "mature": "s", "declining": "^", "regenerating": "D"}

# The indicators the report features (their titles are in messages.INDICATORS).
KEY_INDICATORS = ["unemployment_rate", "unemployed_ex_miners", "miners_employed", "replacement_share",
                  "resource_dependence", "restoration_rate", "population"]

_cjk_family = None


def setup():
    """Matplotlib defaults; returns the CJK font family in use, or None if none is installed."""
    global _cjk_family
    plt.rcParams.update({
        "font.size": 10, "axes.titlesize": 11, "axes.labelsize": 10, "legend.fontsize": 9,
        "axes.spines.top": False, "axes.spines.right": False, "axes.grid": True,
        "grid.alpha": 0.3, "savefig.dpi": DPI, "figure.dpi": DPI,
    })
    if _cjk_family is None:
        for path in CJK_FONT_FILES:
            if pathlib.Path(path).exists():
                font_manager.fontManager.addfont(path)
                _cjk_family = font_manager.FontProperties(fname=path).get_name()
                break
    # Matplotlib >= 3.6 falls back glyph by glyph along this list.
    plt.rcParams["font.family"] = ["DejaVu Sans"] + ([_cjk_family] if _cjk_family else [])
    return _cjk_family


def has_cjk():
    return _cjk_family is not None


def figure(size, **kw):
    return plt.figure(figsize=size, dpi=DPI, layout="constrained", **kw)


def save(fig, path):
    fig.savefig(path, dpi=DPI)
    plt.close(fig)
    return pathlib.Path(path).name


def year_axis(ax, dates):
    """Year ticks spaced so their labels never collide, whatever the span of `dates`.

    Annual output describes December, so for annual series the ticks stand on the Decembers: the value of
    2035-12 sits on the tick labelled 2035, not next to 2036. Series with other months get 1 January ticks.
    """
    import matplotlib.dates as mdates
    dates = np.asarray(dates).astype("datetime64[M]")
    years = dates.astype("datetime64[Y]").astype(int) + 1970
    span = int(years.max() - years.min()) + 1 if years.size else 1
    base = 1 if span <= 7 else 2 if span <= 14 else 5 if span <= 35 else 10
    annual = years.size > 0 and bool(np.all(dates.astype(int) % 12 == 11))
    ax.xaxis.set_major_locator(mdates.YearLocator(base, month=12 if annual else 1))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))


def display_unit(units, values):
    """(factor, unit label) so values in `units` read as plain numbers on an axis, in the report's language:
    thousands and millions in English, 万 (10^4) and 亿 (10^8) in Chinese."""
    finite = np.abs(np.asarray(values, dtype=float))
    finite = finite[np.isfinite(finite)]
    largest = finite.max() if finite.size else 0.0
    if units == "1":
        return 100.0, messages.unit("percent")
    if units in ("persons", "ha"):
        if messages.language() == "zh":
            if units == "persons" and largest >= 1e8:
                return 1e-8, messages.unit("hundred million persons")
            if largest >= 1e4:
                return 1e-4, messages.unit(f"ten thousand {units}")
            return 1.0, messages.unit(units)
        if largest >= 1e6:
            return 1e-6, messages.unit(f"million {units}")
        if largest >= 1e3:
            return 1e-3, messages.unit(f"thousand {units}")
        return 1.0, messages.unit(units)
    if messages.language() == "zh":
        return 1.0, messages.unit(units)
    if units.startswith("1e8 CNY"):
        return 1.0, units.replace("1e8 CNY", messages.unit("1e8 CNY cjk" if has_cjk() else "1e8 CNY"))
    return 1.0, units


def axis_label(name, unit):
    if not unit:
        return name
    return f"{name}（{unit}）" if messages.language() == "zh" else f"{name} ({unit})"


def percent_label(p):
    return f"{100 * p:.0f} %"
