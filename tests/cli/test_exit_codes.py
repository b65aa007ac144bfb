"""README "Exit codes": one test per row, each through the real binary.

The build directory is $REGSIM_BUILD_DIR, by default <repo>/build.
"""
import os
import pathlib
import resource
import signal
import subprocess
import time

import h5py
import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
BUILD = pathlib.Path(os.environ.get("REGSIM_BUILD_DIR", REPO / "build"))
REGSIM = BUILD / "bin" / "regsim"

SCENARIO = """\
scenario: codes
horizon: {start: 2013-01, end: 2014-12}
experiment: {replications: 3, seed: 5}
"""


def regsim(*args, **kw):
    return subprocess.run([str(REGSIM), *map(str, args)], capture_output=True, text=True, **kw)


@pytest.fixture(scope="module")
def scenario(tmp_path_factory):
    path = tmp_path_factory.mktemp("codes") / "codes.yaml"
    path.write_text(SCENARIO)
    return path


@pytest.fixture(scope="module")
def run(scenario):
    out = scenario.parent / "codes.h5"
    assert regsim("run", scenario, "-o", out, "-q").returncode == 0
    return out


def test_0_success(run):
    assert regsim("verify", run).returncode == 0


def test_1_a_failed_write(scenario, tmp_path):
    def small_files():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (64 << 10, 64 << 10))
    r = regsim("run", scenario, "-o", tmp_path / "full.h5", "-q", preexec_fn=small_files)
    assert r.returncode == 1, r.stderr
    assert "File too large" in r.stderr


@pytest.mark.parametrize("args", [
    ["run", "{scenario}", "--set", "experiment.replications=abc"],   # a --set value
    ["run", "{scenario}", "--threads", "0"],                          # a flag
    ["run", "{scenario}", "-o", "/nonexistent/a.h5"],                 # an output path
    ["validate", "{bad}"],                                            # a scenario key
    ["inspect", "{scenario}"],                                        # not a run file
])
def test_2_bad_input(scenario, tmp_path, args):
    bad = tmp_path / "bad.yaml"
    bad.write_text(SCENARIO.replace("experiment:", "experimnet:"))
    r = regsim(*[a.format(scenario=scenario, bad=bad) for a in args])
    assert r.returncode == 2, (args, r.stderr)
    assert "error:" in r.stderr


@pytest.mark.parametrize("value, message", [
    ("0x10", "--seed: must be a decimal integer, got 0x10"),  # strtoull's base 0
    ("010", "--seed: must be a decimal integer, got 010"),
    ("-5", "--seed: must be a non-negative integer, got -5"),
])
def test_2_an_unsigned_flag_takes_decimal_digits_only(scenario, tmp_path, value, message):
    r = regsim("run", scenario, "-n", "1", "--seed", value, "-o", tmp_path / "never.h5")
    assert r.returncode == 2, r.stderr
    assert message in r.stderr
    assert not (tmp_path / "never.h5").exists()


def test_2_a_cities_filter_that_is_not_utf8():
    r = subprocess.run([str(REGSIM), "cities", "--where", b"province=\xe9\xff"],
                       capture_output=True)
    assert r.returncode == 2, r.stderr
    assert b"--where:1:10: error: not valid UTF-8 (byte 10)" in r.stderr


@pytest.mark.parametrize("command", ["verify", "replay"])
def test_3_a_verification_mismatch(run, tmp_path, command):
    tampered = tmp_path / "tampered.h5"
    tampered.write_bytes(run.read_bytes())
    with h5py.File(tampered, "r+") as f:
        f["checksums/digest"][0] = 12345
    args = [tampered] if command == "verify" else [tampered, "--replicate", 0]
    r = regsim(command, *args)
    assert r.returncode == 3, r.stderr


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT])
def test_128_plus_the_signal(scenario, tmp_path, sig):
    long = tmp_path / "long.yaml"
    long.write_text(SCENARIO.replace("replications: 3", "replications: 1000"))
    proc = subprocess.Popen([str(REGSIM), "run", long, "-o", tmp_path / "long.h5", "-q"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    parts = tmp_path / "long.h5.parts"
    deadline = time.time() + 30
    while not parts.exists() and time.time() < deadline:
        time.sleep(0.02)
    time.sleep(0.3)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 128 + sig, err
    assert "--resume continues" in err
    assert parts.is_dir()  # the journal is kept for --resume (test_journal.py resumes)
    assert not (tmp_path / "long.h5").exists()


@pytest.mark.parametrize("delay", [0.0, 0.005, 0.02, 0.05, 0.1, 0.2])
def test_a_signal_very_early_leaves_nothing_complete_and_resume_works(scenario, tmp_path, delay):
    # Before, while and after the journal's layout is written: a stopped run
    # leaves no output file, and --resume finishes it.
    out = tmp_path / "early.h5"
    proc = subprocess.Popen([str(REGSIM), "run", scenario, "-o", out, "-q"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(delay)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    if proc.returncode != 0:  # not finished before the signal arrived
        assert proc.returncode in (128 + signal.SIGTERM, -signal.SIGTERM), err
        assert not out.exists()
    r = regsim("run", scenario, "-o", out, "-q", "--resume")
    assert r.returncode == 0, r.stderr
    assert regsim("verify", out).returncode == 0
