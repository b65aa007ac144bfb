"""One damaged byte anywhere in a finished run file: 1,000 random offsets
(fixed seed), one copy of the file per flip, each read by `regsim inspect`
and `regsim verify`. Neither may crash (die of a signal) or hang (time
out), and every flip is

- reported: `verify` exits 2 with one line on stderr that says the file is
  damaged (or is not a readable HDF5/regsim file), or exits 3 (a
  replication no longer matches); or
- harmless, provably: `verify` exits 0 and a full h5py read of the damaged
  copy (every group, dataset value, shape, type, attribute, and the
  dimensions each variable is attached to) equals that of the original.
  Such a byte lies in space HDF5 does not read (free space, padding,
  reserved fields) or in a field whose every value means the same.

Anything else is "other", and fails the test. `inspect` must exit 0 or 2
(with one line). The flips run in a process pool; each command has its own
timeout. The build directory is $REGSIM_BUILD_DIR, by default <repo>/build.
"""
import collections
import concurrent.futures
import os
import pathlib
import random
import subprocess
import sys
import tempfile

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
BUILD = pathlib.Path(os.environ.get("REGSIM_BUILD_DIR", REPO / "build"))
REGSIM = BUILD / "bin" / "regsim"
TINY = REPO / "tests" / "data" / "regions" / "tiny"
FLIPS = 1000
SEED = 20261204
TIMEOUT = 30  # seconds per command; a sound read takes well under one

SCENARIO = f"""\
scenario: flips
region: {TINY}
horizon: {{start: 2013-01, end: 2013-12}}
experiment: {{replications: 2, seed: 5}}
uncertainties:
  replacement.growth_rate: {{uniform: [0.04, 0.12]}}
goals:
  - {{name: low-unemployment, indicator: unemployment_rate, at: 2013-12, below: 0.05}}
outputs: {{replicates: 2}}
"""

# Prints a digest of everything h5py reads from a file; run in a child
# process, since h5py (HDF5) reading a damaged file may crash.
SNAPSHOT = r"""
import hashlib, sys
import h5py, numpy as np

def text(value):
    if isinstance(value, np.ndarray):
        if value.dtype.kind == "O":
            return repr([text(v) for v in value.flat]) + repr(value.shape)
        return value.dtype.str + repr(value.shape) + value.tobytes().hex()
    if isinstance(value, h5py.Reference):
        return "ref:" + (f[value].name if value else "null")
    return repr(value)

def attribute(obj, key):
    value = obj.attrs[key]
    if isinstance(value, np.ndarray) and value.dtype.kind == "V":
        # REFERENCE_LIST: h5py gives memory addresses; read as stored instead.
        a = h5py.h5a.open(obj.id, key.encode())
        value = np.zeros(a.shape, dtype=np.dtype((np.void, a.get_type().get_size())))
        a.read(value, mtype=a.get_type())
    return text(value)

h = hashlib.sha256()
with h5py.File(sys.argv[1], "r") as f:
    def visit(name, obj):
        h.update(name.encode())
        for key in sorted(obj.attrs):
            h.update(key.encode() + attribute(obj, key).encode())
        if isinstance(obj, h5py.Dataset):
            h.update(repr((obj.dtype.str, obj.shape, obj.maxshape)).encode())
            h.update(text(obj[()] if obj.shape != () else np.array(obj[()])).encode())
    visit("/", f)
    f.visititems(visit)
print(h.hexdigest())
"""


def snapshot(path):
    r = subprocess.run([sys.executable, "-c", SNAPSHOT, str(path)], capture_output=True,
                       text=True, timeout=TIMEOUT)
    return r.stdout.strip() if r.returncode == 0 else None


def run(*args):
    try:
        return subprocess.run([str(REGSIM), *map(str, args)], capture_output=True, text=True,
                              timeout=TIMEOUT, errors="replace")
    except subprocess.TimeoutExpired:
        return None


def one_line(r):
    lines = r.stderr.splitlines()
    return lines[0] if len(lines) == 1 else None


REPORTED_WORDS = ("damaged", "not an HDF5 file", "cannot open the HDF5 file",
                  "not a regsim output file", "not a complete regsim run")


def classify(original, data, offset, xor, sound_digest):
    """(outcome, detail) for the file with byte `offset` XORed with `xor`."""
    damaged = bytearray(data)
    damaged[offset] ^= xor
    with tempfile.TemporaryDirectory() as d:
        path = pathlib.Path(d) / original.name
        path.write_bytes(damaged)
        inspect = run("inspect", path)
        verify = run("verify", path, "--sample", "1")
        for name, r in (("inspect", inspect), ("verify", verify)):
            if r is None:
                return "hang", name
            if r.returncode < 0:
                return "crash", f"{name}: signal {-r.returncode}"
        if inspect.returncode not in (0, 2) or (inspect.returncode == 2 and not one_line(inspect)):
            return "other", f"inspect exit {inspect.returncode}: {inspect.stderr[:300]}"
        if verify.returncode == 3:
            return "reported", "mismatch"
        if verify.returncode == 2:
            line = one_line(verify)
            if line and any(w in line for w in REPORTED_WORDS):
                return "reported", line
            return "other", f"verify exit 2: {verify.stderr[:300]}"
        if verify.returncode == 0:
            if snapshot(path) == sound_digest:
                return "harmless", ""
            return "other", "verify passed, but h5py reads different values"
        return "other", f"verify exit {verify.returncode}: {verify.stderr[:300]}"


@pytest.fixture(scope="module")
def run_file(tmp_path_factory):
    d = tmp_path_factory.mktemp("flips")
    (d / "flips.yaml").write_text(SCENARIO)
    out = d / "flips.h5"
    r = subprocess.run([str(REGSIM), "run", d / "flips.yaml", "-o", out, "-q"],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    return out


def test_the_snapshot_sees_a_changed_value(run_file, tmp_path):
    # The harmless check can fail: a value changed through h5py changes it.
    import h5py
    copy = tmp_path / "changed.h5"
    copy.write_bytes(run_file.read_bytes())
    with h5py.File(copy, "r+") as f:
        f["replicate"][0] = 7
    assert snapshot(run_file) is not None
    assert snapshot(copy) != snapshot(run_file)


def test_a_thousand_flipped_bytes_are_reported_or_harmless(run_file):
    data = run_file.read_bytes()
    sound = snapshot(run_file)
    assert sound is not None
    rng = random.Random(SEED)
    flips = [(rng.randrange(len(data)), rng.randrange(1, 256)) for _ in range(FLIPS)]
    outcomes = collections.Counter()
    failures = []
    with concurrent.futures.ProcessPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        futures = {pool.submit(classify, run_file, data, offset, xor, sound): (offset, xor)
                   for offset, xor in flips}
        for future in concurrent.futures.as_completed(futures):
            outcome, detail = future.result()
            outcomes[outcome] += 1
            if outcome not in ("reported", "harmless"):
                failures.append((futures[future], outcome, detail))
    print(f"\n{len(data)} bytes, {FLIPS} flips: {dict(outcomes)}")
    assert not failures, "\n".join(f"offset {o} ^ {x:#04x}: {kind}: {detail}"
                                   for (o, x), kind, detail in sorted(failures)[:20])
    assert outcomes["reported"] > 0 and outcomes["harmless"] > 0
