"""Wall-clock time of every test, for finding what makes the suite slow.

pytest's ``--durations`` reads a clock that freezegun moves in the tests that freeze time, so
its figures are wrong here. This plugin keeps the real clock where freezegun does not look (in
a dict: freezegun replaces module attributes that hold the time functions) and writes one TSV
line per test (node id, seconds from the start of its setup to the end of its teardown) to
``$BIRLIK_WALLCLOCK/<worker>.tsv``::

    BIRLIK_WALLCLOCK=/tmp/times .venv/bin/python -m pytest -n 2 -p tests.wallclock
    python -m tests.wallclock /tmp/times      # the slowest tests and files, summed
"""

from __future__ import annotations

import os
import sys
import time
from collections import defaultdict
from pathlib import Path

import pytest

_CLOCK = {"now": time.perf_counter}
_started: dict[str, float] = {}
_lines: list[str] = []


def pytest_runtest_logstart(nodeid: str, location: object) -> None:
    _started[nodeid] = _CLOCK["now"]()


def pytest_runtest_logfinish(nodeid: str, location: object) -> None:
    started = _started.pop(nodeid, None)
    if started is not None:
        _lines.append(f"{nodeid}\t{_CLOCK['now']() - started:.3f}\n")


def pytest_sessionfinish(session: pytest.Session) -> None:
    folder = os.environ.get("BIRLIK_WALLCLOCK")
    if not folder or not _lines:
        return
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    if worker == "main" and getattr(session.config.option, "numprocesses", None):
        return  # the controller of pytest-xdist hears every worker's tests again
    Path(folder).mkdir(parents=True, exist_ok=True)
    Path(folder, f"{worker}.tsv").write_text("".join(_lines), encoding="utf-8")


def summary(folder: str, top: int = 25) -> str:
    tests: list[tuple[float, str]] = []
    files: dict[str, float] = defaultdict(float)
    for path in Path(folder).glob("*.tsv"):
        for line in path.read_text(encoding="utf-8").splitlines():
            nodeid, seconds = line.rsplit("\t", 1)
            tests.append((float(seconds), nodeid))
            files[nodeid.split("::")[0]] += float(seconds)
    tests.sort(reverse=True)
    out = [f"{len(tests)} tests, {sum(s for s, _ in tests):.0f} s of test time", "", "files:"]
    out += [f"{s:8.1f}  {f}" for f, s in sorted(files.items(), key=lambda kv: -kv[1])[:top]]
    out += ["", "tests:"] + [f"{s:8.1f}  {n}" for s, n in tests[:top]]
    return "\n".join(out)


if __name__ == "__main__":
    print(summary(sys.argv[1]))  # noqa: T201 - a command-line report
