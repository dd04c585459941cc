"""Export the graph, asserted and derived facts: named graphs in TriG and N-Quads, merged otherwise.

JSON-LD is compacted with the context sovkg ships (:mod:`sovkg.publish.jsonld_context`), embedded
in the document so that reading it back needs no network.

>>> import datetime as dt
>>> from sovkg.derive.knowledge_graph import build
>>> kg = build(["tests/fixtures/derive/chain.ttl"], include_case=False, include_reference=False,
...            as_of=dt.date(2026, 11, 29))
>>> b"@prefix sov:" in export_graph(kg, "ttl")
True
"""

from __future__ import annotations

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
        from sovkg.publish.jsonld_context import to_jsonld

        return to_jsonld(graph)
    return graph.serialize(format=serializer, encoding="utf-8")

