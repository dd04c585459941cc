"""The Python API: the CLI's operations as typed functions returning dataclasses.

Each function takes either the inputs to build from (``data`` paths, ``include_case``, ``as_of``)
or a :class:`~sovkg.derive.knowledge_graph.KnowledgeGraph` built once with :func:`build`, so a
notebook loads and derives once and asks many questions:

>>> import datetime as dt
>>> kg = build(["tests/fixtures/derive/chain.ttl"], include_case=False, include_reference=False,
...            as_of=dt.date(2026, 11, 29))
>>> [(f.system_label, f.level) for f in exposure(kg)]
[('Platform', 'control'), ('Record', 'subcontractor')]
>>> exposure(kg) == exposure(["tests/fixtures/derive/chain.ttl"], include_case=False,
...                          include_reference=False, as_of=dt.date(2026, 11, 29))
True
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path

from sovkg.ask.explain import Explanation
from sovkg.ask.explain import explain as _explain
from sovkg.check.shapes import ValidationReport
from sovkg.check.shapes import validate as _validate
from sovkg.derive.knowledge_graph import KnowledgeGraph, build
from sovkg.model import ExposureFinding
from sovkg.publish.export import export_graph
from sovkg.publish.report import Report, build_report

__all__ = ["KnowledgeGraph", "build", "explain", "export", "exposure", "query", "report", "validate"]

Source = KnowledgeGraph | Sequence[str | Path]
"""What every API function reads: a built knowledge graph, or the paths of user files to build one from."""


def _graph(
    source: Source, *, include_case: bool, include_reference: bool = True, as_of: dt.date | None
) -> KnowledgeGraph:
    """``source`` itself when it is a knowledge graph, else a graph built from it."""
    if isinstance(source, KnowledgeGraph):
        return source
    if isinstance(source, (str, Path)):
        source = [source]
    return build(source, include_case=include_case, include_reference=include_reference, as_of=as_of)


def exposure(
    source: Source = (),
    *,
    include_case: bool = True,
    include_reference: bool = True,
    as_of: dt.date | None = None,
) -> tuple[ExposureFinding, ...]:
    """Every exposure finding: which system is exposed to which access law, at which level, and why."""
    return _graph(source, include_case=include_case, include_reference=include_reference, as_of=as_of).findings


def validate(source: Source = (), *, include_case: bool = True, as_of: dt.date | None = None) -> ValidationReport:
    """Run every compliance and integrity shape on the graph (computed once per graph)."""
    return _validate(_graph(source, include_case=include_case, as_of=as_of))


def explain(
    entity: str,
    source: Source = (),
    *,
    include_case: bool = True,
    as_of: dt.date | None = None,
    lang: str = "en",
) -> Explanation:
    """Explain one system, organisation or law (a label, a local id or an IRI): chains, laws, rules, sources;
    the text in English or French (``lang``)."""
    return _explain(_graph(source, include_case=include_case, as_of=as_of), entity, lang=lang)


def report(source: Source = (), *, include_case: bool = True, as_of: dt.date | None = None) -> Report:
    """The main job's report (exposure matrix, findings, rule results, counts)."""
    kg = _graph(source, include_case=include_case, as_of=as_of)
    return build_report(kg, case_included=kg.case_included, user_inputs=list(kg.user_inputs))


def query(
    name: str,
    bindings: Mapping[str, str] | None = None,
    source: Source = (),
    *,
    include_case: bool = True,
    as_of: dt.date | None = None,
) -> list[dict[str, str | None]]:
    """Run a shipped competency question (or any ``.rq`` SELECT file) and return its rows as plain strings.

    A binding's value is an IRI, a CURIE, a date, or an entity's local id, path or label (as ``explain``
    takes it); ``GRAPH`` patterns read the named graphs of the dataset.
    """
    from sovkg.ask.entities import resolve_binding
    from sovkg.ask.queries import find_query, result_rows, run_query

    kg = _graph(source, include_case=include_case, as_of=as_of)
    spec = find_query(name)
    bound = {key: resolve_binding(kg.union, value) for key, value in (bindings or {}).items()}
    return result_rows(run_query(kg.union, spec, bound, named_graphs=kg.dataset))


def export(
    fmt: str = "trig", source: Source = (), *, include_case: bool = True, as_of: dt.date | None = None
) -> bytes:
    """Serialise asserted and derived facts (TriG keeps the named graphs)."""
    return export_graph(_graph(source, include_case=include_case, as_of=as_of), fmt)
