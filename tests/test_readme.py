"""The README's examples are real: each console block's command prints exactly what the README shows.

Commands run from the repository root in a shell, with this interpreter's ``sovkg`` on the PATH and
stderr merged into stdout, as a reader would see them.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```console\n\$ (.+?)\n(.*?)```", README, flags=re.S)


def test_readme_has_console_examples():
    assert len(BLOCKS) >= 7


@pytest.mark.parametrize("command, expected", BLOCKS, ids=[c[:50] for c, _ in BLOCKS])
def test_readme_example_output_is_real(command, expected, tmp_path):
    env = dict(os.environ, SOVKG_CACHE_DIR=str(tmp_path), PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    run = subprocess.run(["bash", "-c", f"set -o pipefail; {{ {command} ; }} 2>&1"], capture_output=True, text=True,
                         cwd=ROOT, env=env, timeout=600, check=False)
    assert run.stdout.rstrip("\n") == expected.rstrip("\n")


def test_quick_start_is_two_commands_and_ci_runs_the_test_command():
    quick = README.split("## Quick start", 1)[1].split("##", 1)[0]
    commands = re.findall(r"```sh\n(.+?)\n```", quick)
    assert commands == [
        "python3 -m venv .venv && .venv/bin/pip install -e '.[test]' && .venv/bin/sovkg report",
        ".venv/bin/python -m pytest",
    ]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert commands[1] in ci.splitlines()


def test_generated_figures_are_current():
    """The counts and benchmark figures come from the files (``tools/update_readme.py``), not typed by hand."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("update_readme", ROOT / "tools" / "update_readme.py")
    assert spec is not None and spec.loader is not None
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    names = re.findall(r"<!-- ([a-z-]+) -->", README)
    assert {"cq-count", "bench-report", "bench-ownership"} <= set(names)
    assert tool.fill_regions(README) == README
    assert f"<!-- cq-count -->{len(list((ROOT / 'queries' / 'cq').glob('*.rq')))}<!-- /cq-count -->" in README
