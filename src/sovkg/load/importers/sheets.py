"""Import the spreadsheet templates into a store or an N-Quads/TriG file.

Takes template files or folders (the CSV templates of :mod:`sovkg.load.sheets`, or ``.xlsx``
workbooks) and gives the same triples ``--data`` would load, one named graph per file, plus a
``sov:Source`` describing each file (its name, publisher and retrieval date) that the graph is
``prov:wasDerivedFrom``; each row keeps its own sources, as with ``--data``.

Spreadsheets are read whole (their ids are defined in one file and used in the others, so a
folder is read together): this importer is for the hand-kept sizes spreadsheets have, not for
millions of rows — use the GLEIF or BODS importers for those. Without ``--strict``, a row with
a problem is left out and the others are imported; ``kg:`` references are not checked (there is
no loaded data to check them against: the store is checked when it is derived).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from sovkg.core.errors import SovkgInputError
from sovkg.load.importers.writer import Counts, Output, Problems, QuadSink, Source, iri, literal
from sovkg.load.inputs import user_files
from sovkg.load.sheets import read_tables

__all__ = ["SheetsOptions", "import_sheets", "nt"]


@dataclass(frozen=True)
class SheetsOptions:
    """How to describe the source of each spreadsheet."""

    retrieved: dt.date | None = None
    publisher: str | None = None



def nt(term: Node) -> str:
    """An rdflib IRI or literal as an N-Triples term.

    >>> nt(Literal("51.0", datatype=URIRef("http://www.w3.org/2001/XMLSchema#decimal")))
    '"51.0"^^<http://www.w3.org/2001/XMLSchema#decimal>'
    """
    if isinstance(term, Literal):
        return literal(str(term), str(term.datatype) if term.datatype else None, term.language)
    if isinstance(term, URIRef):
        return iri(str(term))
    if isinstance(term, BNode):
        return f"_:b{term}"
    raise TypeError(f"cannot write {term!r} as N-Triples")


def import_sheets(paths: list[Path], sink: QuadSink, problems: Problems, options: SheetsOptions) -> Counts:
    """Import spreadsheet templates (files or folders) into ``sink``, one named graph per file."""
    files = [f.path for f in user_files(paths)]
    tables = [f for f in files if f.suffix.lower() in (".csv", ".xlsx")]
    others = sorted(set(files) - set(tables))
    if others:
        raise SovkgInputError(f"{others[0]}: not a spreadsheet template (import RDF files with --data)")
    data = read_tables(tables, lenient=not problems.strict)
    for path, row, column, message in data.problems:
        problems.add(path, row, column, message)
    counts = Counts()
    for path, triples in data.graphs.items():
        out = Output(sink, path.resolve().as_uri())
        Source(path, "sheets", f"Spreadsheet {path.name}", options.publisher, None, "document", None,
               options.retrieved).write(out)
        subjects = set()
        for s, p, o in triples:
            out.add(nt(s), nt(p), nt(o))
            subjects.add(s)
        out.flush()
        counts.imported += len(subjects)
    counts.skipped = len({(p, r) for p, r, _, _ in data.problems if r is not None})
    counts.rows = counts.imported + counts.skipped
    return counts
