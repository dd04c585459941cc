"""Print a query's answer the way SPARQL users expect, whatever its form.

Takes an evaluated rdflib result (from :func:`sovkg.ask.queries.run_query`) and an output format;
writes to stdout (and the row count to stderr):

- SELECT: ``table`` (default; IRIs shortened with sovkg's prefixes), ``csv`` or ``json`` (W3C SPARQL 1.1
  JSON results);
- ASK: ``true`` or ``false`` in ``table`` and ``csv``, the SPARQL JSON boolean with ``json``;
- CONSTRUCT and DESCRIBE: RDF, ``ttl`` (default), ``nt`` or ``jsonld``.

>>> from rdflib import Graph
>>> from sovkg.ask.queries import QuerySpec, run_query
>>> print_result(run_query(Graph(), QuerySpec.from_text("ASK { }")), "csv")
true
>>> print_result(run_query(Graph(), QuerySpec.from_text(
...     "CONSTRUCT { <https://w3id.org/sovkg/id/org/a> rdfs:label 'A' } WHERE { }")), "nt")
<https://w3id.org/sovkg/id/org/a> <http://www.w3.org/2000/01/rdf-schema#label> "A" .
"""

from __future__ import annotations

import json
import sys
from typing import Any

from rdflib import Graph

from sovkg.ask.queries import result_rows, result_variables, to_sparql_json
from sovkg.core.errors import SovkgInputError
from sovkg.core.namespaces import PREFIXES
from sovkg.core.tables import plural, render_table
from sovkg.core.text import csv_text, excel_csv

__all__ = ["GRAPH_FORMATS", "ROW_FORMATS", "print_result"]

ROW_FORMATS = ("table", "json", "csv")
"""Formats for SELECT and ASK answers."""
GRAPH_FORMATS = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld"}
"""Formats for CONSTRUCT and DESCRIBE answers, and rdflib's name for each."""


def print_result(result: Any, fmt: str | None, *, where: str = "query", excel: bool = False) -> None:
    """Write ``result`` to stdout in ``fmt`` (None: the form's default); a format that does not fit
    the query's form is a :class:`SovkgInputError` naming the query (``where``)."""
    form = result.type
    if form in ("CONSTRUCT", "DESCRIBE"):
        chosen = fmt or "ttl"
        if chosen not in GRAPH_FORMATS:
            raise SovkgInputError(f"{where} is a {form} query, which answers with RDF: use --format "
                                  f"{', '.join(GRAPH_FORMATS)} (not {chosen})")
        _write_graph(result.graph, chosen)
        return
    chosen = fmt or "table"
    if chosen not in ROW_FORMATS:
        raise SovkgInputError(f"{where} is a {form} query, which answers with "
                              f"{'true or false' if form == 'ASK' else 'rows'}: use --format "
                              f"{', '.join(ROW_FORMATS)} (not {chosen})")
    if chosen == "json":
        print(json.dumps(to_sparql_json(result), indent=2, ensure_ascii=False))
    elif form == "ASK":
        print("true" if result.askAnswer else "false")
    else:
        _write_rows(result, chosen, excel=excel)


def _write_rows(result: Any, fmt: str, *, excel: bool = False) -> None:
    rows = result_rows(result)
    columns = result_variables(result)
    if fmt == "csv":
        text = csv_text(columns, ([row.get(c) for c in columns] for row in rows))
        sys.stdout.write(excel_csv(text) if excel else text)
        return
    print(render_table(columns, [[compact(row.get(c)) for c in columns] for row in rows]))
    print(f"({plural(len(rows), 'row')})", file=sys.stderr)


def _write_graph(graph: Graph, fmt: str) -> None:
    out = Graph()
    for prefix, namespace in PREFIXES.items():
        out.bind(prefix, namespace, override=True)
    out += graph
    if fmt == "jsonld":
        text = out.serialize(format="json-ld", context=dict(PREFIXES), indent=2)
    else:
        text = out.serialize(format=GRAPH_FORMATS[fmt])
    sys.stdout.write(text if text.endswith("\n") or not text else text + "\n")


def compact(value: str | None) -> str:
    """An IRI shortened with the longest matching sovkg prefix; other values unchanged.

    >>> compact("https://w3id.org/sovkg/id/law/us-cloud-act"), compact(None), compact("7")
    ('kg:law/us-cloud-act', '', '7')
    """
    if value is None:
        return ""
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if value.startswith(namespace):
            return f"{prefix}:{value[len(namespace):]}"
    return value
