"""The Python API: the CLI's operations as typed functions returning dataclasses.

>>> import datetime as dt
>>> findings = exposure(["tests/fixtures/derive/chain.ttl"], include_case=False,
...                     include_reference=False, as_of=dt.date(2026, 11, 29))
>>> [(f.system_label, f.level) for f in findings]
[('Platform', 'control'), ('Record', 'subcontractor')]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from sovkg.check import ValidationReport
from sovkg.check import validate as _validate
from sovkg.explain import Explanation
from sovkg.explain import explain as _explain
from sovkg.export import export_graph
from sovkg.model import ExposureFinding
from sovkg.pipeline import KnowledgeGraph, build
from sovkg.report import Report, build_report

__all__ = ["build", "explain", "export", "exposure", "query", "report", "validate"]


def exposure(
    data: Sequence[str | Path] = (),
    *,
    include_case: bool = True,
    include_reference: bool = True,
    as_of: dt.date | None = None,
) -> tuple[ExposureFinding, ...]:
    """Every exposure finding: which system is exposed to which access law, at which level, and why."""
    return build(data, include_case=include_case, include_reference=include_reference, as_of=as_of).findings


def validate(
    data: Sequence[str | Path] = (), *, include_case: bool = True, as_of: dt.date | None = None
) -> ValidationReport:
    """Run every compliance and integrity shape on the graph."""
    return _validate(build(data, include_case=include_case, as_of=as_of))


def explain(
    entity: str, data: Sequence[str | Path] = (), *, include_case: bool = True, as_of: dt.date | None = None
) -> Explanation:
    """Explain one system, organisation or law: chains, laws that bind it, rules, sources."""
    return _explain(build(data, include_case=include_case, as_of=as_of), entity)


def report(data: Sequence[str | Path] = (), *, include_case: bool = True, as_of: dt.date | None = None) -> Report:
    """The main job's report (exposure matrix, findings, rule results, counts)."""
    kg = build(data, include_case=include_case, as_of=as_of)
    return build_report(kg, case_included=include_case, user_inputs=[str(p) for p in data])


def query(
    name: str,
    bindings: Mapping[str, str] | None = None,
    data: Sequence[str | Path] = (),
    *,
    include_case: bool = True,
    as_of: dt.date | None = None,
) -> list[dict[str, str | None]]:
    """Run a shipped competency question (or any ``.rq`` file) and return its rows as plain strings."""
    from sovkg.queries import find_query, parse_binding, result_rows, run_query

    kg = build(data, include_case=include_case, as_of=as_of)
    spec = find_query(name)
    bound = {key: parse_binding(value) for key, value in (bindings or {}).items()}
    return result_rows(run_query(kg.union, spec, bound))


def export(
    fmt: str = "trig", data: Sequence[str | Path] = (), *, include_case: bool = True, as_of: dt.date | None = None
) -> bytes:
    """Serialise asserted and derived facts (TriG keeps the named graphs)."""
    return export_graph(build(data, include_case=include_case, as_of=as_of), fmt)


def knowledge_graph(data: Sequence[str | Path] = (), **options: Any) -> KnowledgeGraph:
    """Alias of :func:`sovkg.pipeline.build`."""
    return build(data, **options)
