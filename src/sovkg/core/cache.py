"""A cache of computed reports, keyed on everything that can change them.

The key hashes the content of every input file (ontology, shapes, queries, reference data, the
French case, the user's files), sovkg's own source code, the date and the options. A hit returns
the report's JSON without loading any RDF; a miss computes it and stores it atomically. Set
``SOVKG_CACHE_DIR`` to move the cache, or pass ``--no-cache`` to bypass it.

>>> import tempfile, os
>>> os.environ["SOVKG_CACHE_DIR"] = tempfile.mkdtemp()
>>> store("k" * 64, {"a": 1}); load("k" * 64)
{'a': 1}
>>> load("x" * 64) is None
True
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any


def cache_dir() -> Path:
    """Where cached reports live: ``$SOVKG_CACHE_DIR``, else the user's cache folder for sovkg as
    ``platformdirs`` knows it (``$XDG_CACHE_HOME/sovkg`` or ``~/.cache/sovkg`` on Linux,
    ``~/Library/Caches/sovkg`` on macOS, ``%LOCALAPPDATA%\\sovkg\\Cache`` on Windows)."""
    explicit = os.environ.get("SOVKG_CACHE_DIR")
    if explicit:
        return Path(explicit)
    import platformdirs

    return Path(platformdirs.user_cache_dir("sovkg", appauthor=False))


def load(key: str) -> dict[str, Any] | None:
    """The cached JSON for ``key``, or None (a missing or unreadable entry is a miss)."""
    path = cache_dir() / f"{key}.json"
    try:
        with path.open(encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def store(key: str, data: Mapping[str, Any]) -> None:
    """Store JSON for ``key`` atomically; a cache that cannot be written is silently skipped."""
    from sovkg.core.errors import SovkgInputError
    from sovkg.core.files import write_file

    try:
        write_file(cache_dir() / f"{key}.json", json.dumps(data, ensure_ascii=False))
    except SovkgInputError:
        return
