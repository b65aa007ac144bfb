"""What the run-file tests compare: every dataset of a file and its root attributes but the volatile
ones, and the assertion that two files hold the same."""
import h5py
import numpy as np

VOLATILE = {"created", "command_line"}


def text(value):
    """A fixed-length text attribute (bytes in h5py) or any other value, as text."""
    return value.decode() if isinstance(value, bytes) else str(value)


def datasets(path, volatile=VOLATILE):
    """{name: array} for every dataset, and "/": the root attributes but the volatile ones."""
    found = {}
    with h5py.File(path, "r") as f:
        def visit(name, obj):
            if isinstance(obj, h5py.Dataset):
                found[name] = obj[()]
        f.visititems(visit)
        found["/"] = {k: text(v) for k, v in f.attrs.items() if k not in volatile}
    return found


def assert_same_datasets(a_path, b_path):
    """The same datasets (NaN equal to NaN) and the same root attributes but the volatile ones."""
    a, b = datasets(a_path), datasets(b_path)
    assert a.keys() == b.keys()
    assert a["/"] == b["/"]
    for name in a:
        if name != "/":
            assert np.array_equal(a[name], b[name], equal_nan=a[name].dtype.kind == "f"), name
