"""Locate the files sovkg ships: ontology, shapes, reference data, the French case, queries.

In a source checkout (or an editable install) they sit at the repository's top level; in a wheel
they are copied into ``sovkg/_resources``.

>>> resource_path("ontology").name
'ontology'
>>> (resource_path("ontology") / "core.ttl").is_file()
True
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from sovkg.core.errors import SovkgError

_PACKAGE_DIR = Path(__file__).resolve().parents[1]


@cache
def resource_root() -> Path:
    """Return the folder that holds ``ontology/``, ``data/`` and ``queries/``."""
    for candidate in (_PACKAGE_DIR / "_resources", _PACKAGE_DIR.parents[1]):
        if (candidate / "ontology").is_dir() and (candidate / "data").is_dir():
            return candidate
    raise SovkgError(f"sovkg's bundled resources were not found next to {_PACKAGE_DIR}")


def resource_path(relative: str) -> Path:
    """Return the path of a bundled resource, e.g. ``resource_path("data/case")``."""
    return resource_root() / relative
