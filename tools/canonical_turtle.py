"""Rewrite Turtle files exactly as rdflib's ``longturtle`` serialiser writes them (CONVENTIONS.md item 6).

    python tools/canonical_turtle.py ontology/shapes/*.ttl
"""

from __future__ import annotations

import sys
from pathlib import Path

from rdflib import Graph


def canonicalise(path: Path) -> bool:
    """Rewrite one file; return True when it changed."""
    before = path.read_text(encoding="utf-8")
    after = Graph().parse(path, format="turtle").serialize(format="longturtle")
    if after != before:
        path.write_text(after, encoding="utf-8")
        return True
    return False


if __name__ == "__main__":
    changed = [p for p in map(Path, sys.argv[1:]) if canonicalise(p)]
    for path in changed:
        print(f"rewrote {path}")
