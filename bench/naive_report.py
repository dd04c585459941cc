"""The naive pipeline the benchmark compares against: everything through rdflib and owlrl.

Parse every file with rdflib's own parsers, apply the domain rules as SPARQL, run a full owlrl
OWL RL closure over everything, then the same checks and questions as ``sovkg report``: the
exposure query, all SHACL shapes (pyshacl), and every competency question with its parameters
left open. Prints one line of counts so the run can be checked against sovkg's.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from rdflib import Dataset, URIRef

from sovkg.ask.queries import list_queries, run_query
from sovkg.check.shapes import validate_graph
from sovkg.derive.reference import _PROLOGUE, EXPOSURE, closed_graph
from sovkg.load.inputs import bundled_files, user_files


def main(argv: list[str]) -> int:
    day = dt.date.fromisoformat(argv[0])
    data = [Path(p) for p in argv[1:]]
    dataset = Dataset()
    for item in bundled_files() + user_files(data):
        dataset.graph(URIRef(item.graph)).parse(item.path, format="turtle" if item.path.suffix == ".ttl" else None)
    graph = closed_graph(dataset, as_of=day)
    findings = {tuple(map(str, row)) for row in graph.query(_PROLOGUE + EXPOSURE)}  # type: ignore[arg-type]
    report = validate_graph(graph)
    rows = sum(len(list(run_query(graph, spec))) for spec in list_queries("cq"))
    print(f"naive: triples={len(graph)} findings={len(findings)} results={len(report.results)} cq_rows={rows}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
