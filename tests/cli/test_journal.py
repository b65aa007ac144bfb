"""The journal (OUT.h5.parts/) as a user meets it: a run killed (SIGKILL),
stopped (SIGTERM) or starved of disk at any point is continued by
`--resume` to the datasets of an uninterrupted run; shards of a Slurm
array merge to the datasets of one process; `regsim merge` refuses
missing, duplicated, foreign and damaged blocks, naming them; the
summaries cover every replication whatever `keep` says.

The build directory is $REGSIM_BUILD_DIR, by default <repo>/build.
"""
import concurrent.futures
import os
import pathlib
import re
import resource
import shutil
import signal
import subprocess
import time

import h5py
import numpy as np
import pytest

from runfiles import assert_same_datasets

REPO = pathlib.Path(__file__).resolve().parents[2]
BUILD = pathlib.Path(os.environ.get("REGSIM_BUILD_DIR", REPO / "build"))
REGSIM = BUILD / "bin" / "regsim"

# 28 replications in blocks of 4 (every run here says --block 4): 7
# blocks and 22 crash points (before and after each block's rename, after
# each block assembled, after the final rename).
SCENARIO = """\
scenario: journal
description: a light run for the journal tests
horizon: {start: 2013-01, end: 2016-12}
experiment: {replications: 28, seed: 11}
uncertainties:
  replacement.growth_rate: {uniform: [0.04, 0.12]}
goals:
  - name: unemployment-below-5pct-2016
    indicator: unemployment_rate
    where: all
    at: 2016-12
    below: 0.05
outputs: {replicates: 5}
"""
CRASH_POINTS = 22
UNINTERRUPTED = {}  # how long the reference run took, set by the fixture


BLOCK = ["--block", "4"]


def regsim(*args, env=None, **kw):
    args = [*map(str, args)] + (BLOCK if args[0] == "run" else [])
    return subprocess.run([str(REGSIM), *args], capture_output=True, text=True, env=env, **kw)


@pytest.fixture(scope="module")
def scenario(tmp_path_factory):
    path = tmp_path_factory.mktemp("journal") / "journal.yaml"
    path.write_text(SCENARIO)
    return path


@pytest.fixture(scope="module")
def reference(scenario):
    out = scenario.parent / "reference.h5"
    start = time.monotonic()
    r = regsim("run", scenario, "-o", out, "-j", 1, "--quiet")
    assert r.returncode == 0, r.stderr
    UNINTERRUPTED["seconds"] = time.monotonic() - start  # how long a run takes here
    assert not pathlib.Path(str(out) + ".parts").exists()  # the journal is gone
    return out


def resume_and_compare(scenario, reference, target):
    r = regsim("run", scenario, "-o", target, "-j", 1, "--resume", "--quiet")
    assert r.returncode == 0, r.stderr
    assert not pathlib.Path(str(target) + ".parts").exists()
    assert_same_datasets(reference, target)


def in_parallel(function, cases):
    """Runs function(case) for every case, two at a time (the machine's cores)."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        for future in [pool.submit(function, c) for c in cases]:
            future.result()


def test_sigkill_at_every_journal_step_then_resume_gives_the_same_datasets(scenario, reference,
                                                                          tmp_path):
    def crash_at(n):
        target = tmp_path / f"crash-{n}.h5"
        env = dict(os.environ, REGSIM_CRASH_AT=str(n))
        r = regsim("run", scenario, "-o", target, "-j", 1, "--quiet", env=env)
        assert r.returncode == -signal.SIGKILL, (n, r.returncode, r.stderr)
        if n < CRASH_POINTS:  # before the final rename: nothing looks complete
            assert not target.exists(), n
        resume_and_compare(scenario, reference, target)

    in_parallel(crash_at, range(1, CRASH_POINTS + 1))
    # One more point than there are: the run is not killed.
    target = tmp_path / "crash-none.h5"
    env = dict(os.environ, REGSIM_CRASH_AT=str(CRASH_POINTS + 1))
    assert regsim("run", scenario, "-o", target, "-j", 1, "--quiet", env=env).returncode == 0


def stop_after(scenario, target, sig, seconds):
    proc = subprocess.Popen([str(REGSIM), "run", scenario, "-o", target, "-j", "1", "--quiet", *BLOCK],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(seconds)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    return proc.returncode, err


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_a_signal_at_any_time_then_resume_gives_the_same_datasets(scenario, reference, tmp_path,
                                                                  sig):
    # Spread over 90 % of an uninterrupted run (set-up, computing, writing
    # blocks, assembly); two at a time, the runs here take longer still.
    delays = [UNINTERRUPTED["seconds"] * 0.9 * (i + 0.5) / 10 for i in range(10)]
    outcomes = []

    def stop_at(delay):
        target = tmp_path / f"{sig.name}-{delay:.2f}.h5"
        code, err = stop_after(scenario, target, sig, delay)
        outcomes.append(code)
        if code == 0:  # finished before the signal
            assert_same_datasets(reference, target)
            return
        assert not target.exists() or code == -signal.SIGKILL
        if sig == signal.SIGTERM:
            assert code == 128 + signal.SIGTERM, err
            assert "--resume continues" in err, err
        resume_and_compare(scenario, reference, target)

    in_parallel(stop_at, delays)
    assert sum(code != 0 for code in outcomes) >= 6, outcomes  # most signals hit a running run


def file_size_limit(size):
    """A preexec_fn: files of at most `size` bytes, with SIGXFSZ ignored so
    that a write past the limit fails (EFBIG) as one on a full disk does."""
    def apply():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
    return apply


def test_a_full_disk_at_any_point_then_resume_gives_the_same_datasets(scenario, reference,
                                                                      tmp_path):
    # Blocks are ~0.3 MB and the run file ~1.9 MB: the limits fail the
    # first block's layout, a block's rows, and the assembly.
    def fill_at(size):
        target = tmp_path / f"full-{size}.h5"
        r = subprocess.run([str(REGSIM), "run", scenario, "-o", target, "-j", "1", "--quiet", *BLOCK],
                           capture_output=True, text=True, preexec_fn=file_size_limit(size))
        assert r.returncode == 1, (size, r.stderr)
        assert "File too large" in r.stderr, r.stderr
        assert not target.exists()
        parts = pathlib.Path(str(target) + ".parts")
        assert not list(parts.glob("*.partial")), "the unfinished block is removed"
        resume_and_compare(scenario, reference, target)

    in_parallel(fill_at, [16 << 10, 100 << 10, 300 << 10, 1 << 20, 3 << 19])


def test_a_run_without_resume_refuses_to_overwrite_a_journal(scenario, tmp_path):
    target = tmp_path / "once.h5"
    env = dict(os.environ, REGSIM_CRASH_AT="5")
    assert regsim("run", scenario, "-o", target, "--quiet", env=env).returncode == -signal.SIGKILL
    r = regsim("run", scenario, "-o", target, "--quiet")
    assert r.returncode == 2
    assert "an interrupted run's journal is here" in r.stderr
    assert "--resume to continue it, or --force to start over" in r.stderr
    assert regsim("run", scenario, "-o", target, "--quiet", "--force").returncode == 0


def test_resume_refuses_another_runs_journal_and_starts_when_there_is_nothing(scenario, reference,
                                                                            tmp_path):
    target = tmp_path / "x.h5"
    env = dict(os.environ, REGSIM_CRASH_AT="5")
    assert regsim("run", scenario, "-o", target, "--quiet", env=env).returncode == -signal.SIGKILL
    r = regsim("run", scenario, "-o", target, "--resume", "--seed", 12, "--quiet")
    assert r.returncode == 2
    assert "a block of another run: seed (11 here, 12 there)" in r.stderr or \
           "a block of another run: scenario" in r.stderr, r.stderr
    # Killed before its first block (or never run): --resume runs it all,
    # so a requeued cluster job can always say --resume.
    r = regsim("run", scenario, "-o", tmp_path / "nothing.h5", "--resume")
    assert r.returncode == 0, r.stderr
    assert "nothing to resume in" in r.stderr and "starting the run" in r.stderr
    assert_same_datasets(reference, tmp_path / "nothing.h5")


def test_a_damaged_block_is_computed_again_on_resume(scenario, reference, tmp_path):
    target = tmp_path / "damaged.h5"
    env = dict(os.environ, REGSIM_CRASH_AT="14")  # after the 7th block, before assembly
    assert regsim("run", scenario, "-o", target, "--quiet", env=env).returncode == -signal.SIGKILL
    block = sorted(pathlib.Path(str(target) + ".parts").glob("*.h5"))[2]
    with h5py.File(block, "r+") as f:  # a value changed behind the journal's back
        f["aggregates/population"][0, 0, 0] = -1.0
    r = regsim("run", scenario, "-o", target, "--resume")
    assert r.returncode == 0, r.stderr
    assert f"{block}: damaged: its content does not match its digest; computing it again" in r.stderr
    assert_same_datasets(reference, target)


def shard(scenario, k, n, folder, *flags):
    r = regsim("run", scenario, "--shard", f"{k}/{n}", "-o", folder, "--quiet", *flags)
    assert r.returncode == 0, r.stderr


def test_shards_merged_equal_one_process(scenario, reference, tmp_path):
    folder = tmp_path / "shards"
    for k in (3, 1, 2):  # in any order, on any thread count
        shard(scenario, k, 3, folder, "-j", k)
    out = tmp_path / "merged.h5"
    r = regsim("merge", folder, "-o", out)
    assert r.returncode == 0, r.stderr
    assert_same_datasets(reference, out)
    with h5py.File(out, "r") as f:
        assert "merge" in f.attrs["command_line"].decode()


def test_more_shards_than_replications_merge_too(tmp_path):
    scenario = tmp_path / "five.yaml"
    scenario.write_text(SCENARIO.replace("replications: 28", "replications: 5"))
    single = tmp_path / "single.h5"
    assert regsim("run", scenario, "-o", single, "--quiet").returncode == 0
    folders = []
    for k in range(1, 8):  # shards 6/7 and 7/7 are empty
        folders.append(tmp_path / f"shard-{k}")
        shard(scenario, k, 7, folders[-1])
    out = tmp_path / "merged.h5"
    r = regsim("merge", *folders, "-o", out)
    assert r.returncode == 0, r.stderr
    assert_same_datasets(single, out)


@pytest.fixture(scope="module")
def shards(scenario):
    folder = scenario.parent / "shards-3"
    folder.mkdir()
    for k in (1, 2, 3):
        shard(scenario, k, 3, folder / str(k))
    return folder


def copy_shards(shards, tmp_path, which=(1, 2, 3)):
    out = []
    for k in which:
        out.append(tmp_path / str(k))
        shutil.copytree(shards / str(k), out[-1])
    return out


def test_merge_refuses_a_missing_shard(shards, tmp_path):
    r = regsim("merge", *copy_shards(shards, tmp_path, (1, 3)), "-o", tmp_path / "m.h5")
    assert r.returncode == 2
    assert "replications 10..18 missing" in r.stderr, r.stderr
    assert not (tmp_path / "m.h5").exists() and not (tmp_path / "m.h5.partial").exists()


def test_merge_refuses_a_duplicated_shard(shards, tmp_path):
    folders = copy_shards(shards, tmp_path)
    twice = tmp_path / "2-again"
    shutil.copytree(folders[1], twice)
    r = regsim("merge", *folders, twice, "-o", tmp_path / "m.h5")
    assert r.returncode == 2
    assert "replications 10..13 twice" in r.stderr, r.stderr


def test_merge_refuses_a_shard_of_another_seed_or_scenario(scenario, shards, tmp_path):
    folders = copy_shards(shards, tmp_path, (1, 2))
    other_seed = tmp_path / "seed"
    shard(scenario, 3, 3, other_seed, "--seed", 12)
    r = regsim("merge", *folders, other_seed, "-o", tmp_path / "m.h5")
    assert r.returncode == 2
    assert "a block of another run: scenario" in r.stderr, r.stderr  # the seed is in the scenario text
    other = tmp_path / "other.yaml"
    other.write_text(SCENARIO.replace("[0.04, 0.12]", "[0.05, 0.12]"))
    other_scenario = tmp_path / "scenario"
    shard(other, 3, 3, other_scenario)
    r = regsim("merge", *folders, other_scenario, "-o", tmp_path / "m.h5")
    assert r.returncode == 2
    assert "a block of another run: scenario" in r.stderr, r.stderr


def test_merge_refuses_a_shard_of_another_version(shards, tmp_path):
    folders = copy_shards(shards, tmp_path)
    block = sorted(folders[2].glob("*.h5"))[0]
    with h5py.File(block, "r+") as f:
        f.attrs["regsim_version"] = "0.0.1"
    r = regsim("merge", *folders, "-o", tmp_path / "m.h5")
    assert r.returncode == 2
    assert f"{block}: error: a block of another run: regsim version" in r.stderr, r.stderr


def test_merge_refuses_a_truncated_or_unfinished_block(shards, tmp_path):
    folders = copy_shards(shards, tmp_path)
    block = sorted(folders[0].glob("*.h5"))[1]
    block.write_bytes(block.read_bytes()[: block.stat().st_size // 2])
    (folders[2] / "replicates-000000030-000000031.h5.partial").write_bytes(b"")
    r = regsim("merge", *folders, "-o", tmp_path / "m.h5")
    assert r.returncode == 2
    assert str(block) in r.stderr, r.stderr
    assert "an unfinished block" in r.stderr and "is a shard still running?" in r.stderr


def test_merge_refuses_a_folder_without_blocks(tmp_path):
    (tmp_path / "empty").mkdir()
    r = regsim("merge", tmp_path / "empty", "-o", tmp_path / "m.h5")
    assert r.returncode == 2
    assert "no journal blocks here" in r.stderr


def test_summaries_cover_every_replication_whatever_is_kept(scenario, reference, tmp_path):
    everything = tmp_path / "all.yaml"
    everything.write_text(SCENARIO.replace("outputs: {replicates: 5}", "outputs: {replicates: all}"))
    kept = tmp_path / "all.h5"
    assert regsim("run", everything, "-o", kept, "-j", 2, "--quiet").returncode == 0
    with h5py.File(reference, "r") as few, h5py.File(kept, "r") as all_:
        assert few["trajectories/population"].shape[0] == 5
        assert all_["trajectories/population"].shape[0] == 28
        for name in ("population", "unemployment_rate", "miners_employed"):
            assert np.array_equal(few[f"summary/{name}"][()], all_[f"summary/{name}"][()],
                                  equal_nan=True), name
        # And they are the statistics of the 28 replicates' trajectories.
        mean = all_["trajectories/population"][()].astype(np.float64).mean(axis=0)
        assert np.allclose(few["summary/population"][0], mean, rtol=1e-6)


def test_a_second_run_on_the_same_output_is_refused_while_the_first_runs(scenario, reference,
                                                                         tmp_path):
    long = tmp_path / "long.yaml"
    long.write_text(SCENARIO.replace("replications: 28", "replications: 400"))
    target = tmp_path / "shared.h5"
    first = subprocess.Popen([str(REGSIM), "run", long, "-o", target, "--quiet", *BLOCK],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    parts = pathlib.Path(str(target) + ".parts")
    deadline = time.time() + 30
    while not list(parts.glob("*.h5")) and time.time() < deadline:
        time.sleep(0.05)
    for flag in ("--resume", "--force"):
        r = regsim("run", long, "-o", target, flag, "--quiet")
        assert r.returncode == 2, (flag, r.stderr)
        assert "another regsim run is writing this journal" in r.stderr, r.stderr
    first.send_signal(signal.SIGTERM)
    _, err = first.communicate(timeout=60)
    assert first.returncode == 128 + signal.SIGTERM, err  # the first run was not disturbed
    assert list(parts.glob("*.h5"))


@pytest.mark.parametrize("output, message", [
    ("/nonexistent/dir/a.h5", "no folder '/nonexistent/dir' to write into"),
    ("/dev/null", "not a regular file; not replacing it (even with --force)"),
])
def test_a_bad_output_path_is_refused_before_anything_runs(scenario, output, message):
    r = regsim("run", scenario, "-o", output, "--force", "--quiet")
    assert r.returncode == 2, r.stderr
    assert message in r.stderr, r.stderr
    assert len(r.stderr.splitlines()) <= 3, r.stderr  # one error, not an HDF5 stack
    assert not pathlib.Path("/nonexistent").exists()


@pytest.mark.parametrize("mode", ["fresh", "resume", "shard"])
def test_a_run_the_disk_cannot_hold_is_refused_with_the_numbers(scenario, tmp_path, mode):
    """Ten million replicates of the 262 cities need terabytes: refused before
    anything is computed, with the estimate and the free space, and nothing
    left behind (no journal, no partial file)."""
    target = tmp_path / ("shards" if mode == "shard" else "big.h5")
    flags = {"fresh": [], "resume": ["--resume"], "shard": ["--shard", "1/2"]}[mode]
    r = regsim("run", scenario, "-o", target, "-n", 10_000_000, "--quiet", *flags)
    assert r.returncode == 2, r.stderr
    assert "error: not enough disk space: the run needs about" in r.stderr
    assert re.search(r"GB for the journal of the \d+ replications to compute, up to [\d.]+ GB "
                     r"for the run file\), and .* has [\d.]+ GB free", r.stderr), r.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == []
