"""Every bad input gets a clear error: exit 2, a message naming the input, no traceback, nothing
half-written. One row per case in ``tests/fixtures/bad/*.csv`` (the next bad input is one row).

Columns of a table:

- ``case``: a short unique name;
- ``args``: the ``sovkg`` arguments, split like a shell would (``shlex``); ``{fixture}`` is
  replaced by ``tests/fixtures/bad/<fixture>`` and ``{tmp}`` by an empty folder of the test's own;
- ``fixture``: the input file or folder under ``tests/fixtures/bad/`` (may be empty);
- ``exit``: the exit code expected (2 for bad input);
- ``message``: a fragment the error message must contain (``{fixture}`` and ``{tmp}`` replaced).

Each run must also print no Python traceback, print nothing on stdout when it fails, and leave
``{tmp}`` as it found it (empty) unless the case expects exit 0.
"""

from __future__ import annotations

import csv
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BAD = ROOT / "tests" / "fixtures" / "bad"


def cases() -> list[dict[str, str]]:
    """The rows of every table, each with the table it came from."""
    rows: list[dict[str, str]] = []
    for table in sorted(BAD.glob("*.csv")):
        with table.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                rows.append({**row, "table": table.name})
    return rows


CASES = cases()


def test_case_names_are_unique_and_fixtures_exist() -> None:
    names = [row["case"] for row in CASES]
    assert len(names) == len(set(names)), sorted(n for n in names if names.count(n) > 1)
    for row in CASES:
        if row["fixture"]:
            assert (BAD / row["fixture"]).exists(), row


@pytest.mark.parametrize("row", CASES, ids=[row["case"] for row in CASES])
def test_bad_input(row: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    fixture = str((BAD / row["fixture"]).relative_to(ROOT)) if row["fixture"] else ""

    def fill(text: str) -> str:
        return text.replace("{fixture}", fixture).replace("{tmp}", str(out))

    args = [fill(a) for a in shlex.split(row["args"])]
    env = {**os.environ, "SOVKG_CACHE_DIR": str(tmp_path / "cache")}
    run = subprocess.run([sys.executable, "-m", "sovkg", *args], capture_output=True, text=True,
                         cwd=ROOT, env=env, timeout=300, check=False, stdin=subprocess.DEVNULL)
    expected = int(row["exit"])
    assert run.returncode == expected, (run.returncode, run.stderr[-2000:])
    assert "Traceback" not in run.stderr, run.stderr[-2000:]
    assert fill(row["message"]) in run.stderr, run.stderr[-2000:]
    if expected != 0:
        assert run.stdout == ""
        assert sorted(p.name for p in out.iterdir()) == []
