"""The progress line appears on a terminal for a slow step, and never in piped output."""

from __future__ import annotations

import io
import subprocess
import sys
import time
from pathlib import Path

from rich.console import Console

from sovkg.core.progress import progress

ROOT = Path(__file__).resolve().parents[1]


def test_a_slow_step_shows_its_description_on_a_terminal() -> None:
    screen = io.StringIO()
    console = Console(file=screen, force_terminal=True, width=80)
    with progress("Deriving", delay=0.05, console=console):
        time.sleep(0.5)
    assert "Deriving…" in screen.getvalue()


def test_a_quick_step_shows_nothing() -> None:
    screen = io.StringIO()
    with progress("Deriving", delay=30, console=Console(file=screen, force_terminal=True, width=80)):
        pass
    assert screen.getvalue() == ""


def test_nothing_is_written_when_the_output_is_not_a_terminal() -> None:
    screen = io.StringIO()
    with progress("Deriving", delay=0.0, console=Console(file=screen, force_terminal=False)):
        time.sleep(0.2)
    assert screen.getvalue() == ""


def test_a_piped_command_prints_no_progress() -> None:
    run = subprocess.run([sys.executable, "-m", "sovkg", "validate", "--no-case", "--format", "csv",
                          "--data", "tests/fixtures/derive/chain.ttl", "--at", "2026-11-29"],
                         capture_output=True, text=True, cwd=ROOT, timeout=600, check=False)
    assert "…" not in run.stderr and "\x1b" not in run.stderr + run.stdout
