"""Reading one `regsim run` output file (README "Output layout").

Everything the report needs is read here, so a damaged or foreign file is
rejected once, with one clear message, before any chart is drawn.
"""
import collections
import functools
import pathlib

import h5py
import numpy as np
import yaml

from . import messages
from .messages import t

EPOCH = np.datetime64("2013-01", "M")  # month 0 of the model; /time counts days from 2013-01-01


class InputError(Exception):
    """An input file the report cannot use: str() is 'FILE: what is wrong'."""

    def __init__(self, path, message):
        super().__init__(f"{path}: {message}")


def _reading(method):
    """A read that fails (a damaged chunk, a missing dataset) becomes an InputError naming the file."""
    @functools.wraps(method)
    def wrapper(self, *args, **kw):
        try:
            return method(self, *args, **kw)
        except (OSError, KeyError) as e:
            raise InputError(self.path, f"damaged regsim output ({_short(e)})") from None
    return wrapper


def _text(values):
    return [v.decode() if isinstance(v, bytes) else str(v) for v in values]


def attr_text(value):
    if isinstance(value, bytes):
        return value.decode()
    if isinstance(value, np.ndarray) and value.size == 1:
        return attr_text(value.item())
    return str(value)


def month_index(date_text):
    """'YYYY-MM' -> months since 2013-01."""
    year, month = str(date_text).split("-")[:2]
    return (int(year) - 2013) * 12 + int(month) - 1


# A policy as the file describes it (/policies): window, cities, values and trigger.
POLICY_TEXTS = ("policy", "lever", "source", "from", "to", "where", "set", "trigger_indicator",
                "trigger_comparison")
Policy = collections.namedtuple("Policy", "name lever source start end where set trigger_indicator "
                                          "trigger_comparison trigger_threshold trigger_months")


class Goal:
    """One goal: its definition from /goals/<field> and the engine's ledger, overall and by group."""

    def __init__(self, name, fields, met, margin, probability, low, high, by_group):
        self.name = name
        self.indicator = fields["indicator"]
        self.unit = fields["unit"]
        self.timing = fields["timing"]  # at: on the date; by: in some month up to it
        self.date = fields["date"]  # YYYY-MM
        self.comparison = fields["comparison"]  # below, above or between
        self.threshold = fields["threshold"]  # the lower bound for between
        self.upper = fields["upper"]  # between only, else NaN
        self.aggregation = fields["aggregation"]  # sum, mean, every or share_of_cities
        self.share = fields["share"]  # share_of_cities only, else NaN
        self.where = fields["where"]  # the selector as text, "all" for every city
        self.source = fields["source"]
        self.met = met
        self.margin = margin
        self.probability = probability
        self.low = low
        self.high = high
        # [group] arrays: probability, low, high (NaN: no city of the goal there);
        # met: [replicate, group], 0 missed, 1 met, 2 not applicable.
        self.by_group = by_group

    def _value(self, v):
        return f"{100 * v:g} %" if self.unit == "1" else f"{v:g} {messages.unit(self.unit)}".strip()

    def describe(self, provinces_zh=None):
        """E.g. 'unemployment_rate below 5 % at 2035-12, all cities taken together' (in the report's language;
        `provinces_zh` names the selector's provinces in Chinese)."""
        indicator = messages.indicator_name(self.indicator)
        test = t("goal_test", indicator=indicator, comparison=messages.comparison(self.comparison),
                 value=self._value(self.threshold))
        if self.comparison == "between":
            test = t("goal_between", indicator=indicator, low=self._value(self.threshold),
                     high=self._value(self.upper))
        cities = t("goal_all_cities") if self.where == "all" else t(
            "goal_some_cities", where=messages.selector(self.where, provinces_zh))
        how = {"sum": "goal_sum", "mean": "goal_mean", "every": "goal_every", "share_of_cities": "goal_share"}
        how = t(how.get(self.aggregation, "goal_other"), cities=cities, share=f"{100 * self.share:g}",
                aggregation=self.aggregation)
        return t("goal_by" if self.timing == "by" else "goal_at", test=test, date=self.date, how=how)


class RunFile:
    """A complete regsim output file, opened read-only; use as a context manager.

    With `ledger` (the report), the goals, policies and sampled uncertainties are read too, and a file
    from a regsim too old to describe them is refused; without (the IAMC export), only /aggregates matter.
    """

    def __init__(self, path, ledger=True):
        self.path = pathlib.Path(path)
        self.ledger = ledger
        if not self.path.exists():
            raise InputError(path, "no such file")
        if not self.path.is_file():
            raise InputError(path, "not a file")
        try:
            self.h5 = h5py.File(self.path, "r")
        except OSError as e:
            raise InputError(path, f"not a readable HDF5 file ({_short(e)})") from None
        try:
            self._read_metadata()
        except InputError:
            self.h5.close()
            raise
        except (OSError, KeyError, ValueError, TypeError, yaml.YAMLError) as e:
            self.h5.close()
            raise InputError(path, f"damaged regsim output ({_short(e)})") from None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        self.h5.close()

    # -- metadata ------------------------------------------------------------

    def _read_metadata(self):
        f = self.h5
        if "regsim_version" not in f.attrs:
            raise InputError(self.path, "not a regsim output file (no regsim_version attribute)")
        if int(f.attrs.get("complete", 0)) != 1:
            raise InputError(self.path, "incomplete run (attribute complete = 0); "
                                        "finish it with `regsim run ... --resume`")
        for name in ("time", "group", "city", "replicate", "aggregates"):
            if name not in f:
                hint = " (the run was written with outputs.aggregates: false)" if name == "aggregates" else ""
                raise InputError(self.path, f"/{name} is missing{hint}")
        self.attrs = {k: attr_text(v) for k, v in f.attrs.items() if k != "_NCProperties"}
        self.scenario_name = self.attrs.get("scenario", self.path.stem)
        self.scenario = yaml.safe_load(self.attrs.get("scenario_yaml", "")) or {}
        self.seed = self.attrs.get("seed")

        time = f["time"]
        if not str(attr_text(time.attrs.get("units", ""))).startswith("days since 2013-01-01"):
            raise InputError(self.path, "/time is not in days since 2013-01-01")
        days = np.datetime64("2013-01-01") + time[()].astype("timedelta64[D]")
        self.dates = days.astype("datetime64[M]")  # the month each value describes
        self.months = (self.dates - EPOCH).astype(int)
        self.replicates = f["replicate"][()]
        self.groups = _text(f["group"][()])
        self.group_index = {g: i for i, g in enumerate(self.groups)}
        # Each group also holds the coordinates of its dimensions (dimension scales).
        self.indicators = sorted(name for name, ds in f["aggregates"].items()
                                 if ds.attrs.get("CLASS") != b"DIMENSION_SCALE")
        if not self.indicators:
            raise InputError(self.path, "/aggregates holds no indicator")

        self.cities = {"id": f["city"][()]}
        for name in ("city_name_zh", "city_name_en", "province_en", "province_zh", "category_2013",
                     "primary_resource", "macro_region", "admin_level"):
            if name in f:
                self.cities[name] = np.array(_text(f[name][()]), dtype=object)
        for name in ("lat", "lon", "exhausted_batch"):
            if name in f:
                self.cities[name] = f[name][()]

        self.goals, self.policies = [], []
        self.uncertainty_names, self.uncertainty_units = [], []
        self.uncertainty_values = np.zeros((len(self.replicates), 0))
        if self.ledger:
            self._read_ledger()
        # A first read of an aggregate catches files cut short after their metadata.
        self.aggregate("unemployment_rate" if "unemployment_rate" in self.indicators else self.indicators[0],
                       groups=["nation:all"] if "nation:all" in self.group_index else None)

    def _read_ledger(self):
        f = self.h5
        self._require_current()
        self.goals = self._read_goals()
        if "uncertainties/value" in f:
            self.uncertainty_values = f["uncertainties/value"][()]
            self.uncertainty_names = _text(f["uncertainties/uncertainty"][()])
            self.uncertainty_units = _text(f["uncertainties/unit"][()])
        # The scenario's policies in file order: the event log's policy and trigger entries index them.
        if "policies/policy" in f:
            columns = [_text(f[f"policies/{k}"][()]) for k in POLICY_TEXTS]
            columns.append(f["policies/trigger_threshold"][()].astype(float))
            columns.append(f["policies/trigger_months"][()].astype(int))
            self.policies = [Policy(*fields) for fields in zip(*columns)]

    def _require_current(self):
        """Refuse files from a regsim that did not yet judge goals by place nor describe goals, policies and units."""
        f = self.h5
        needed = []
        if "goals/goal" in f:
            needed += ["goals/probability_by_group", "goals/met_by_group", "goals/comparison"]
        if "uncertainties/uncertainty" in f:
            needed.append("uncertainties/unit")
        if self.scenario.get("policies"):
            needed += ["policies/policy", "policies/from", "policies/trigger_months"]
        missing = [n for n in needed if n not in f]
        if missing:
            raise InputError(self.path, f"written by an older regsim (no /{missing[0]}); re-run it")

    def _read_goals(self):
        if "goals" not in self.h5 or "goal" not in self.h5["goals"]:
            return []  # a scenario without goals
        g = self.h5["goals"]
        names = _text(g["goal"][()])
        texts = {k: _text(g[k][()]) for k in ("indicator", "unit", "timing", "date", "comparison", "aggregation",
                                               "where", "source")}
        numbers = {k: g[k][()].astype(float) for k in ("threshold", "upper", "share")}
        met_by_group = g["met_by_group"][()]
        by_group = {k: g[f"probability{k}_by_group"][()].astype(float) for k in ("", "_low", "_high")}
        goals = []
        for i, name in enumerate(names):
            fields = {k: v[i] for k, v in texts.items()} | {k: float(v[i]) for k, v in numbers.items()}
            goals.append(Goal(
                name, fields, met=g["met"][:, i].astype(bool), margin=g["margin"][:, i].astype(float),
                probability=float(g["probability"][i]), low=float(g["probability_low"][i]),
                high=float(g["probability_high"][i]),
                by_group={"probability": by_group[""][i], "low": by_group["_low"][i],
                          "high": by_group["_high"][i], "met": met_by_group[:, i, :]}))
        return goals

    # -- data ----------------------------------------------------------------

    @property
    def label(self):
        return self.scenario_name

    @property
    def provinces_zh(self):
        """English province name -> Chinese, from the city metadata (/province_en, /province_zh)."""
        return dict(zip(self.cities.get("province_en", []), self.cities.get("province_zh", [])))

    @property
    def horizon(self):
        h = self.scenario.get("horizon", {}) or {}
        return h.get("start", "2013-01"), h.get("end", "2035-12")

    @_reading
    def units(self, indicator, group="aggregates"):
        return attr_text(self.h5[f"{group}/{indicator}"].attrs.get("units", ""))

    @_reading
    def long_name(self, indicator, group="aggregates"):
        return attr_text(self.h5[f"{group}/{indicator}"].attrs.get("long_name", indicator))

    @_reading
    def aggregate(self, indicator, groups=None, time=None):
        """/aggregates/<indicator> as float64 [replicate, group, time] (groups: names, in that order)."""
        ds = self.h5[f"aggregates/{indicator}"]
        if groups is None:
            data = ds[()]
        else:
            index = [self.group_index[g] for g in groups]
            order = np.argsort(index)
            data = ds[:, sorted(index), :][:, np.argsort(order), :]
        data = data.astype(float)
        return data if time is None else data[:, :, time]

    def has_trajectories(self, indicator):
        return f"trajectories/{indicator}" in self.h5 and self.h5[f"trajectories/{indicator}"].shape[0] > 0

    @_reading
    def trajectories(self, indicator, time=None):
        """/trajectories/<indicator> [kept replicates, city, time]; only the first outputs.replicates runs."""
        ds = self.h5[f"trajectories/{indicator}"]
        return (ds[()] if time is None else ds[:, :, time]).astype(float)

    @_reading
    def city_median(self, indicator, time):
        """Median over replicates per city at one time (from /summary, else the kept trajectories), or None."""
        if f"summary/{indicator}" in self.h5:
            stats = _text(self.h5["statistic"][()])
            if "p50" in stats:
                return self.h5[f"summary/{indicator}"][stats.index("p50"), :, time].astype(float)
        if self.has_trajectories(indicator):
            return np.nanmedian(self.trajectories(indicator, time=time), axis=0)
        return None  # outputs.replicates: none keeps no per-city values

    @_reading
    def events(self):
        """The event log as a dict of arrays plus 'meanings' (kind code -> name)."""
        if "events" not in self.h5 or "kind" not in self.h5["events"]:
            return None
        e = self.h5["events"]
        out = {name: e[name][()] for name in ("replicate", "month", "city", "kind", "value") if name in e}
        values = e["kind"].attrs.get("flag_values")
        meanings = attr_text(e["kind"].attrs.get("flag_meanings", "")).split()
        if values is None:
            values = range(len(meanings))
        out["meanings"] = {int(v): m for v, m in zip(values, meanings)}
        return out

    def groups_of_kind(self, kind):
        return [g for g in self.groups if g.startswith(kind + ":")]


def _short(error):
    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return text[:160]


def open_runs(paths, ledger=True):
    """Open every path; the first bad one raises InputError (the others are closed)."""
    runs = []
    try:
        for p in paths:
            runs.append(RunFile(p, ledger))
    except InputError:
        for r in runs:
            r.close()
        raise
    return runs
