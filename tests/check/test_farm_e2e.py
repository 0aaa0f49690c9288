"""End to end against the loopback link farm (benchmarks/farm/farm.py): every kind of link."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from citeaudit.check import CheckOptions, check
from citeaudit.models import LinkStatus

FARM_DIR = (
    Path(__file__).resolve().parents[2] / "benchmarks" / "farm"
)  # copied from ../shared/bench
EXPECTED = {
    "ok": LinkStatus.ALIVE,
    "dead": LinkStatus.DEAD,
    "gone": LinkStatus.DEAD,
    "redir": LinkStatus.REDIRECTED,
    "soft404": LinkStatus.SOFT_DEAD,
    "ratelimit": LinkStatus.ALIVE,
    "slow": LinkStatus.ERROR,
    "reset": LinkStatus.ERROR,
}

pytestmark = pytest.mark.skipif(
    not (FARM_DIR / "farm.py").exists(), reason=f"link farm not found at {FARM_DIR}"
)


@pytest.fixture
def farm(tmp_path: Path) -> Iterator[int]:
    ready = tmp_path / "ready.json"
    proc = subprocess.Popen(
        [sys.executable, str(FARM_DIR / "farm.py"), "--hosts", "6", "--port", "0",
         "--latency", "5", "--slow-delay", "5", "--cap", "2", "--ready-file", str(ready),
         "--max-runtime", "60"],
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 10
        while not ready.exists():
            assert proc.poll() is None and time.monotonic() < deadline, "farm did not start"
            time.sleep(0.05)
        yield json.loads(ready.read_text())["port"]
    finally:
        proc.terminate()
        proc.wait(10)


def test_every_farm_kind_gets_the_right_verdict(farm: int, tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, str(FARM_DIR / "make_doc.py"), "--n", "90", "--hosts", "6",
         "--port", str(farm), "--dup", "0.1", "--out-dir", str(tmp_path),
         "--mix", "ok=5,dead=2,gone=2,redir=2,soft404=2,ratelimit=2,slow=1,reset=2"],
        check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    expected = json.loads((tmp_path / "expected.json").read_text())
    doc_lines = (tmp_path / "doc.txt").read_text().split("Endnotes", 1)[1].split()
    occurrences = [w for w in doc_lines if w.startswith("http://")]
    options = CheckOptions(per_host=2, allow_private=True, timeout=1.0, retries=1,
                           backoff_base=0.05, canary_hosts=())  # fmt: skip
    result = check(occurrences, options)

    wrong = {
        url: (info["kind"], str(result.verdicts[url].status), result.verdicts[url].reason)
        for url, info in expected["urls"].items()
        if result.verdicts[url].status is not EXPECTED[info["kind"]]
    }
    assert not wrong
    assert result.unique == len(expected["urls"]) < len(occurrences)
    with urllib.request.urlopen(f"http://127.0.0.1:{farm}/__stats", timeout=5) as resp:
        stats = json.loads(resp.read())
    assert stats["max_inflight_per_host"] <= 2 and stats["hosts_over_cap"] == 0
    # the soft-404 probe is sent once per host, never once per URL
    assert stats["by_kind"].get("other", 0) <= 6
