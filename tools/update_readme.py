"""Regenerate the output of every ``console`` example in README.md from a real run.

    python tools/update_readme.py

Each block starts with ``$ <command>``; the command runs from the repository root in a shell with
stderr merged, exactly as ``tests/test_readme.py`` runs it, and its output replaces the block's body.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BLOCK = re.compile(r"```console\n\$ (.+?)\n(.*?)```", flags=re.S)


def run(command: str, cache: str) -> str:
    env = dict(os.environ, SOVKG_CACHE_DIR=cache, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    done = subprocess.run(["bash", "-c", f"set -o pipefail; {{ {command} ; }} 2>&1"], capture_output=True, text=True,
                          cwd=ROOT, env=env, timeout=600, check=False)
    return done.stdout.rstrip("\n")


def main() -> int:
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as cache:
        updated = BLOCK.sub(lambda m: f"```console\n$ {m.group(1)}\n{run(m.group(1), cache)}\n```", text)
    if updated != text:
        readme.write_text(updated, encoding="utf-8")
        print("README.md updated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
