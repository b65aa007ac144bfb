"""Scenario discovery: which sampled uncertainties separate the replicates of interest.

PRIM (Friedman & Fisher 1999) on numpy: peel the box by a share `alpha`
of its points along the dimension and side that raise the density of
cases most, down to a minimum support; pick the box of the peeling
trajectory with the best balance of coverage and density (their harmonic
mean); paste back points while that raises density; drop restrictions that
do not raise density. CART: a shallow scikit-learn decision tree.

coverage = cases in the box / all cases; density = cases in the box / points in the box.
"""
import textwrap
from dataclasses import dataclass, field

import numpy as np

from . import messages, style
from .messages import t


@dataclass
class Box:
    lower: np.ndarray
    upper: np.ndarray
    coverage: float
    density: float
    support: float  # share of all points inside
    count: int
    restricted: list = field(default_factory=list)  # dimensions narrower than the data


def _inside(X, lower, upper):
    return np.all((X >= lower) & (X <= upper), axis=1)


def _box(X, y, lower, upper):
    inside = _inside(X, lower, upper)
    n_in, cases = inside.sum(), y[inside].sum()
    lo, hi = X.min(axis=0), X.max(axis=0)
    restricted = [j for j in range(X.shape[1]) if lower[j] > lo[j] or upper[j] < hi[j]]
    return Box(lower.copy(), upper.copy(), cases / max(y.sum(), 1), cases / max(n_in, 1), n_in / len(y),
               int(n_in), restricted)


def _score(box):
    return 0.0 if box.coverage + box.density == 0 else 2 * box.coverage * box.density / (box.coverage + box.density)


def peel(X, y, alpha=0.05, min_support=0.05):
    """The peeling trajectory: a list of Boxes from the whole space down to min_support."""
    n, k = X.shape
    lower, upper = X.min(axis=0).astype(float), X.max(axis=0).astype(float)
    trajectory = [_box(X, y, lower, upper)]
    min_points = max(int(np.ceil(min_support * n)), 2)
    while True:
        inside = _inside(X, lower, upper)
        n_in = inside.sum()
        best = None
        for j in range(k):
            values = np.sort(X[inside, j])
            cut_at = max(1, int(np.ceil(alpha * n_in)))
            for side in ("lower", "upper"):
                if side == "lower":
                    cut = values[min(cut_at, n_in - 1)]
                    if cut == values[0]:  # ties at the edge: peel them all
                        above = values[values > values[0]]
                        if above.size == 0:
                            continue
                        cut = above[0]
                    keep = inside & (X[:, j] >= cut)
                else:
                    cut = values[max(n_in - 1 - cut_at, 0)]
                    if cut == values[-1]:
                        below = values[values < values[-1]]
                        if below.size == 0:
                            continue
                        cut = below[-1]
                    keep = inside & (X[:, j] <= cut)
                count = keep.sum()
                if count < min_points or count == n_in:
                    continue
                density = y[keep].mean()
                if best is None or (density, count) > (best[0], best[1]):
                    best = (density, count, j, side, cut)
        if best is None:
            return trajectory
        _, _, j, side, cut = best
        if side == "lower":
            lower[j] = cut
        else:
            upper[j] = cut
        trajectory.append(_box(X, y, lower, upper))


def paste(X, y, box, alpha=0.05):
    """Widen the box by `alpha` of its points along one side at a time while density rises."""
    lower, upper = box.lower.copy(), box.upper.copy()
    current = _box(X, y, lower, upper)
    while True:
        best = None
        inside = _inside(X, lower, upper)
        step = max(1, int(np.ceil(alpha * inside.sum())))
        for j in range(X.shape[1]):
            others = np.ones(len(y), dtype=bool)
            for i in range(X.shape[1]):
                if i != j:
                    others &= (X[:, i] >= lower[i]) & (X[:, i] <= upper[i])
            for side in ("lower", "upper"):
                outside = others & ((X[:, j] < lower[j]) if side == "lower" else (X[:, j] > upper[j]))
                if not outside.any():
                    continue
                values = np.sort(X[outside, j])
                edge = values[-min(step, values.size)] if side == "lower" else values[min(step, values.size) - 1]
                lo, hi = lower.copy(), upper.copy()
                if side == "lower":
                    lo[j] = edge
                else:
                    hi[j] = edge
                candidate = _box(X, y, lo, hi)
                if candidate.density > current.density and (best is None or candidate.density > best.density):
                    best = candidate
        if best is None:
            return current
        lower, upper, current = best.lower, best.upper, best


def simplify(X, y, box):
    """Drop each restriction whose removal does not lower the density."""
    lo_all, hi_all = X.min(axis=0), X.max(axis=0)
    current = box
    for j in list(box.restricted):
        lo, hi = current.lower.copy(), current.upper.copy()
        lo[j], hi[j] = lo_all[j], hi_all[j]
        candidate = _box(X, y, lo, hi)
        if candidate.density >= current.density:
            current = candidate
    return current


def prim(X, y, alpha=0.05, min_support=0.05):
    """(trajectory, chosen box) for points X [n, k] and cases y (bool)."""
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=bool)
    trajectory = peel(X, y, alpha, min_support)
    chosen = max(trajectory, key=_score)
    return trajectory, simplify(X, y, paste(X, y, chosen, alpha))


def cart_rules(X, y, names, max_depth=3):
    """A decision tree and its leaves: [(rule text, points, cases, coverage, density)], cases-first."""
    from sklearn.tree import DecisionTreeClassifier
    n = len(y)
    tree = DecisionTreeClassifier(max_depth=max_depth, min_samples_leaf=max(2, int(round(0.05 * n))),
                                  random_state=0).fit(X, y)
    nodes = tree.tree_
    leaves = []

    def walk(node, rule):
        if nodes.children_left[node] == -1:
            inside = np.ones(n, dtype=bool)
            for j, op, v in rule:
                inside &= (X[:, j] <= v) if op == "<=" else (X[:, j] > v)
            cases = int(y[inside].sum())
            text = t("rule_and").join(f"{names[j]} {op} {v:.4g}" for j, op, v in rule) or t("all_replicates")
            leaves.append((text, int(inside.sum()), cases, cases / max(y.sum(), 1), cases / max(inside.sum(), 1)))
            return
        j, v = nodes.feature[node], nodes.threshold[node]
        walk(nodes.children_left[node], rule + [(j, "<=", v)])
        walk(nodes.children_right[node], rule + [(j, ">", v)])

    walk(0, [])
    leaves.sort(key=lambda leaf: (-leaf[4], -leaf[2]))
    return tree, leaves


# -- what to explain -----------------------------------------------------------

@dataclass
class Target:
    description: str
    cases: np.ndarray  # bool per replicate
    case_label: str
    other_label: str


def _balanced(met):
    misses = int((~met).sum())
    return min(misses, len(met) - misses)


def choose_target(run):
    """The goal (or goal in a group) missed in about half the replicates; else the worst quarter of unemployment."""
    candidates = []
    for g in run.goals:
        if not np.isfinite(g.margin).all():
            continue  # not judged (dated after the run's end)
        met = g.met
        if _balanced(met) >= 2:
            candidates.append((_balanced(met), Target(t("target_goal", goal=g.name), ~met, t("misses_goal"),
                                                      t("meets_goal"))))
    if not candidates:
        for g in run.goals:
            for group in run.groups_of_kind("category") + run.groups_of_kind("province"):
                outcome = g.by_group["met"][:, run.group_index[group]]  # 0 missed, 1 met, 2 not applicable
                if (outcome == 2).any():
                    continue
                met = outcome == 1
                if _balanced(met) >= 2:
                    where = (messages.group(group, run.provinces_zh) if messages.language() == "zh"
                             else group.replace(":", " "))
                    candidates.append((_balanced(met), Target(t("target_goal_group", goal=g.name, group=where),
                                                              ~met, t("misses"), t("meets"))))
    if candidates:
        return max(candidates, key=lambda c: c[0])[1]
    indicator = "unemployment_rate" if "unemployment_rate" in run.indicators else run.indicators[0]
    value = run.aggregate(indicator, groups=["nation:all"] if "nation:all" in run.group_index else None)[:, 0, -1]
    cut = np.nanpercentile(value, 75)
    words = messages.indicator_short(indicator) if messages.language() == "zh" else indicator.replace("_", " ")
    return Target(t("target_quarter", indicator=words, date=run.dates[-1]), value >= cut, t("highest_quarter"),
                  t("other_replicates"))


# -- chart ---------------------------------------------------------------------

def label(name, unit):
    """An uncertainty with its unit, 'replacement.growth_rate (1/year)'; dimensionless ones bare."""
    return name if unit in ("", "1") else style.axis_label(name, messages.unit(unit))


def discover(run):
    """Everything the report shows for one run, or a reason it cannot."""
    X = run.uncertainty_values
    if not run.uncertainty_names:
        return {"skipped": t("skipped_no_uncertainty")}
    names = [label(n, u) for n, u in zip(run.uncertainty_names, run.uncertainty_units)]
    target = choose_target(run)
    if len(target.cases) < 8:
        return {"skipped": t("skipped_few", n=len(target.cases))}
    if target.cases.all() or not target.cases.any():
        return {"skipped": t("skipped_alike", target=target.description)}
    trajectory, box = prim(X, target.cases, alpha=0.1 if len(X) < 200 else 0.05, min_support=0.1)
    tree, leaves = cart_rules(X, target.cases, names)
    return {"target": target, "X": X, "names": names, "trajectory": trajectory, "box": box,
            "tree": tree, "leaves": leaves, "base_rate": float(target.cases.mean())}


def discovery_chart(run, found, path):
    X, y, names, box = found["X"], found["target"].cases, found["names"], found["box"]
    fig = style.figure(style.DISCOVERY_SIZE)
    a, b, c = fig.subplots(1, 3, width_ratios=[1, 1.2, 1.1])
    traj = found["trajectory"]
    sc = a.scatter([t.coverage for t in traj], [t.density for t in traj], c=[len(t.restricted) for t in traj],
                   cmap="viridis", s=22)
    a.plot([box.coverage], [box.density], "*", color="#c0392b", markersize=16, label=t("chosen_box"))
    a.set_xlabel(t("coverage_axis"))
    a.set_ylabel(t("density_axis"))
    a.set_title(t("peeling_title"))
    a.set_xlim(-0.03, 1.03)
    a.set_ylim(-0.03, 1.03)
    fig.colorbar(sc, ax=a, label=t("restricted"), shrink=0.8,
                 ticks=range(0, len(names) + 1))
    a.legend(loc="lower left", fontsize=8)

    lo_all, hi_all = X.min(axis=0), X.max(axis=0)
    span = np.where(hi_all > lo_all, hi_all - lo_all, 1.0)
    for j, name in enumerate(names):
        b.plot([0, 1], [j, j], color="0.8", linewidth=6, solid_capstyle="butt")
        l, u = (box.lower[j] - lo_all[j]) / span[j], (box.upper[j] - lo_all[j]) / span[j]
        restricted = j in box.restricted
        b.plot([l, u], [j, j], color="#c0392b" if restricted else "#7f8c8d", linewidth=6, solid_capstyle="butt")
        b.text(0.5, j + 0.3, f"{box.lower[j]:.3g} – {box.upper[j]:.3g}" + ("" if restricted else t("any")),
               ha="center", fontsize=8)
    b.set_yticks(range(len(names)), names, fontsize=8)
    b.set_ylim(len(names) - 0.4, -0.6)
    b.set_xlim(-0.02, 1.02)
    b.set_xlabel(t("position_axis"))
    b.set_title(t("box_title", coverage=f"{box.coverage:.0%}", density=f"{box.density:.0%}"))
    b.grid(False)

    order = sorted(range(len(names)), key=lambda j: (j not in box.restricted,
                                                     (box.upper[j] - box.lower[j]) / span[j]))
    j1 = order[0]
    j2 = order[1] if len(order) > 1 else None
    yy = X[:, j2] if j2 is not None else np.random.default_rng(0).uniform(-1, 1, len(X))
    c.scatter(X[~y, j1], yy[~y], s=18, color="0.6", label=found["target"].other_label)
    c.scatter(X[y, j1], yy[y], s=22, color="#c0392b", label=found["target"].case_label)
    from matplotlib.patches import Rectangle
    y_lo, y_hi = (box.lower[j2], box.upper[j2]) if j2 is not None else (-1.1, 1.1)
    c.add_patch(Rectangle((box.lower[j1], y_lo), box.upper[j1] - box.lower[j1], y_hi - y_lo, fill=False,
                          edgecolor="#c0392b", linewidth=1.5, linestyle="--"))
    c.set_xlabel(names[j1])
    c.set_ylabel(names[j2] if j2 is not None else t("jitter"))
    c.set_title(t("two_restricted"))
    c.legend(fontsize=8, loc="best")
    fig.suptitle(textwrap.fill(t("discovery_title", label=run.label, target=found["target"].description),
                               75 if messages.language() == "zh" else 150),
                 fontsize=11)
    return style.save(fig, path)


def tree_chart(run, found, path):
    from sklearn.tree import plot_tree
    fig = style.figure(style.TREE_SIZE)
    ax = fig.add_subplot()
    target = found["target"]
    nodes = plot_tree(found["tree"], feature_names=found["names"],
                      class_names=[target.other_label, target.case_label], filled=True, impurity=False,
                      rounded=True, fontsize=8, ax=ax)
    for node in nodes:  # scikit-learn writes its node fields in English
        text = node.get_text()
        for field in ("samples", "value", "class"):
            text = text.replace(f"{field} = ", f"{t('tree_' + field)} = ")
        node.set_text(text)
    ax.set_title(t("tree_title", label=run.label, cases=target.case_label, others=target.other_label), fontsize=10)
    return style.save(fig, path)
