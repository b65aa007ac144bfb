"""Scenario discovery on synthetic data: PRIM and CART find a planted box."""
import numpy as np
import pytest

from regsim_report.discovery import cart_rules, paste, peel, prim


@pytest.fixture()
def planted():
    """600 points in [0, 1]^4; cases where x0 > 0.6 and x1 < 0.3, with 3 % of labels flipped."""
    rng = np.random.default_rng(42)
    X = rng.uniform(size=(600, 4))
    y = (X[:, 0] > 0.6) & (X[:, 1] < 0.3)
    flip = rng.uniform(size=600) < 0.03
    return X, y ^ flip


def test_prim_finds_the_planted_box(planted):
    X, y = planted
    _, box = prim(X, y)
    assert sorted(box.restricted) == [0, 1]
    assert box.lower[0] == pytest.approx(0.6, abs=0.05)
    assert box.upper[1] == pytest.approx(0.3, abs=0.05)
    assert box.coverage > 0.8
    assert box.density > 0.8
    assert box.density > 3 * y.mean()  # far above the base rate (about 0.14)


def test_peeling_shrinks_the_box_and_pasting_never_lowers_density(planted):
    X, y = planted
    trajectory = peel(X, y, alpha=0.05, min_support=0.05)
    counts = [b.count for b in trajectory]
    assert counts == sorted(counts, reverse=True) and counts[0] == len(y)
    assert trajectory[-1].support >= 0.05
    assert all(np.diff([b.coverage for b in trajectory]) <= 1e-12)
    middle = trajectory[len(trajectory) // 2]
    assert paste(X, y, middle).density >= middle.density


def test_prim_on_unrelated_labels_finds_no_strong_box():
    rng = np.random.default_rng(7)
    X = rng.uniform(size=(400, 3))
    y = rng.uniform(size=400) < 0.3
    _, box = prim(X, y)
    assert box.density < 0.75  # no structure to find: density stays near the base rate


def test_cart_case_leaves_cover_the_planted_box(planted):
    X, y = planted
    _, leaves = cart_rules(X, y, ["x0", "x1", "x2", "x3"])
    assert sum(leaf[2] for leaf in leaves) == y.sum()  # leaves partition the points
    assert sum(leaf[1] for leaf in leaves) == len(y)
    case_leaves = [leaf for leaf in leaves if leaf[4] > 0.5]  # leaves the tree labels as cases
    points, cases = sum(leaf[1] for leaf in case_leaves), sum(leaf[2] for leaf in case_leaves)
    assert cases / y.sum() > 0.8  # coverage
    assert cases / points > 0.8  # density
    for rule, *_ in case_leaves:
        assert "x0 >" in rule and "x1 <=" in rule
