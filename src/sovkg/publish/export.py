"""Export the graph, asserted and derived facts: named graphs in TriG and N-Quads, merged otherwise.

>>> import datetime as dt
>>> from sovkg.derive.knowledge_graph import build
>>> kg = build(["tests/fixtures/derive/chain.ttl"], include_case=False, include_reference=False,
...            as_of=dt.date(2026, 11, 29))
>>> b"@prefix sov:" in export_graph(kg, "ttl")
True
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from sovkg.core.errors import SovkgInputError
from sovkg.core.namespaces import PREFIXES

FORMATS: dict[str, tuple[str, bool]] = {
    "ttl": ("turtle", False),
    "nt": ("nt", False),
    "jsonld": ("json-ld", False),
    "xml": ("xml", False),
    "trig": ("trig", True),
    "nq": ("nquads", True),
}
"""Export format → (rdflib serializer, keeps named graphs)."""


def export_graph(kg: Any, fmt: str) -> bytes:
    """Serialise a :class:`sovkg.derive.knowledge_graph.KnowledgeGraph` in one of :data:`FORMATS`."""
    if fmt not in FORMATS:
        raise SovkgInputError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    serializer, named = FORMATS[fmt]
    if named:
        dataset = kg.dataset
        for prefix, namespace in PREFIXES.items():
            dataset.bind(prefix, namespace, override=True)
        return dataset.serialize(format=serializer, encoding="utf-8")
    graph = kg.union
    if fmt == "jsonld":
        return graph.serialize(format=serializer, context=dict(PREFIXES), auto_compact=True, encoding="utf-8")
    return graph.serialize(format=serializer, encoding="utf-8")


def write_atomically(path: Path, content: bytes | str) -> None:
    """Write a file so that readers see either the old content or the new, never a half-written one."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def excel_csv(text: str) -> str:
    """Rewrite comma-separated CSV for a French (or other continental) Excel: ``;`` separators and a UTF-8 BOM.

    Excel set to a locale whose decimal separator is a comma splits CSV on ``;`` and reads a file as
    UTF-8 only when it starts with a byte-order mark; values are kept as they are (quoted where they
    hold a ``;``, a quote or a line break).

    >>> excel_csv('system,label\\nkg:a,"Dupont, Durand; associés"\\n')
    '\\ufeffsystem;label\\nkg:a;"Dupont, Durand; associés"\\n'
    """
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    for row in csv.reader(io.StringIO(text, newline="")):
        writer.writerow(row)
    return "\ufeff" + out.getvalue()
