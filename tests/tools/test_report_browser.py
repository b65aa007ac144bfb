"""tools/report's index.html in a real browser: headless Chromium (Debian's chromium, installed by
tools/setup) loads the page of a Chinese report (`--lang zh`, the one with the most to get wrong: CJK fonts,
non-ASCII text) from disk, every <img> must decode, and a screenshot is kept.

Each image is checked after the page's load event by a few lines of script added to a copy of the page
(beside it, so relative links resolve alike): Chromium reports an image that is missing or does not decode
as complete with naturalWidth 0. --dump-dom prints the DOM with the result.
"""
import json
import pathlib
import re
import shutil
import subprocess
import time

import pytest

from conftest import tool

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

CHECK = """<script>
window.addEventListener("load", () => {
  const out = document.createElement("pre");
  out.id = "image-check";
  out.textContent = JSON.stringify(Array.from(document.images, i => [i.getAttribute("src"), i.naturalWidth]));
  document.body.appendChild(out);
});
</script>
"""


def chromium(profile, *args):
    """Headless Chromium as root (hence --no-sandbox), with a throwaway profile."""
    if not pathlib.Path(CHROMIUM).exists():
        pytest.skip("chromium is not installed (tools/setup installs it): the browser test did not run")
    r = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                        f"--user-data-dir={profile}", *args], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr[-2000:]
    return r.stdout


def image_widths(page, profile):
    """[(src, naturalWidth)] of every image of `page` once loaded in Chromium."""
    probe = page.with_name(f"probe-{page.name}")
    probe.write_text(page.read_text(encoding="utf-8").replace("</body>", CHECK + "</body>"), encoding="utf-8")
    dom = chromium(profile, "--virtual-time-budget=10000", "--dump-dom", probe.as_uri())
    probe.unlink()
    found = re.search(r'<pre id="image-check">(.*?)</pre>', dom, re.S)
    assert found, "the check script did not run"
    return [tuple(x) for x in json.loads(found.group(1).replace("&quot;", '"').replace("&amp;", "&"))]


@pytest.fixture(scope="module")
def site(runs, tmp_path_factory):
    out = tmp_path_factory.mktemp("browser") / "report"
    r = tool("report", runs["a"], "-o", out, "--lang", "zh", "--open")
    assert r.returncode == 0, r.stderr
    return out, r.stdout


def test_open_prints_the_file_url_and_starts_nothing(site):
    out, stdout = site
    assert stdout.splitlines()[-1] == (out / "index.html").resolve().as_uri()


def test_every_image_loads_in_chromium_and_a_screenshot_is_kept(site, tmp_path):
    out, _ = site
    started = time.monotonic()
    widths = image_widths(out / "index.html", tmp_path / "profile")
    charts = sorted(p.name for p in out.glob("*.png"))
    assert sorted(src for src, _ in widths) == charts
    assert all(width > 0 for _, width in widths), [src for src, width in widths if width == 0]
    shot = tmp_path / "index.png"
    chromium(tmp_path / "profile", f"--screenshot={shot}", "--window-size=1280,2400", (out / "index.html").as_uri())
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000
    print(f"screenshot: {shot} ({len(widths)} images loaded, {time.monotonic() - started:.1f} s in Chromium)")


def test_a_broken_image_is_detected(site, tmp_path):
    out, _ = site
    copy = tmp_path / "copy"
    shutil.copytree(out, copy)
    victim = sorted(copy.glob("*.png"))[0]
    victim.write_bytes(b"not a png")  # present but undecodable
    missing = sorted(copy.glob("*.png"))[1]
    missing.unlink()
    broken = {src for src, width in image_widths(copy / "index.html", tmp_path / "profile") if width == 0}
    assert broken == {victim.name, missing.name}
