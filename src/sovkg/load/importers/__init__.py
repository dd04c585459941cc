"""Importers: GLEIF golden-copy CSV, BODS 0.4 JSON / JSON Lines, and the spreadsheet templates.

Takes input files of one format and a target — an on-disk Oxigraph store (``--store``) or an
N-Quads / TriG file (``--output``) — and gives an :class:`ImportResult`: what was read, imported
and skipped, and the problems found (by file, row and column). Each input file becomes one named
graph (its ``file:`` URI), described by a ``sov:Source`` (file, publisher, publication and
retrieval dates) that every imported fact cites. Re-importing a file replaces its graph.

Nothing is half-written: the quads are staged in a temporary file and published at the end (a
rename, or one bulk load into the store). Without ``strict``, malformed rows are reported and
skipped and the good rows imported; with it, the first problem stops the import and nothing is
written. Modules: :mod:`~sovkg.load.importers.gleif`, :mod:`~sovkg.load.importers.bods`,
:mod:`~sovkg.load.importers.sheets`, and the shared :mod:`~sovkg.load.importers.writer`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from sovkg.core.errors import SovkgInputError
from sovkg.load.importers.bods import BodsOptions, import_bods
from sovkg.load.importers.gleif import GleifOptions, import_gleif
from sovkg.load.importers.sheets import SheetsOptions, import_sheets
from sovkg.load.importers.writer import Problem, Problems, QuadFile, QuadSink, StoreSink

__all__ = ["FORMATS", "ImportResult", "run_import"]

FORMATS: tuple[str, ...] = ("gleif", "bods", "sheets")


@dataclass
class ImportResult:
    """What an import did."""

    format: str
    rows: int
    imported: int
    skipped: int
    quads: int
    graphs: list[str]
    problem_count: int
    problems: list[Problem] = field(default_factory=list)


def run_import(kind: str, paths: list[Path], *, store: Path | None = None, output: Path | None = None,
               strict: bool = False, at: dt.date | None = None, retrieved: dt.date | None = None,
               published: dt.date | None = None, publisher: str | None = None,
               show_progress: bool | None = None) -> ImportResult:
    """Import ``paths`` (format ``kind``) into ``store`` or ``output`` (exactly one of them).

    Raises :class:`SovkgInputError` on bad usage, and on the first problem when ``strict`` (nothing
    is written then).
    """
    if kind not in FORMATS:
        raise SovkgInputError(f"{kind!r} is not an import format ({', '.join(FORMATS)})")
    if (store is None) == (output is None):
        raise SovkgInputError("give exactly one of --store PATH and --output FILE")
    if not paths:
        raise SovkgInputError("no input file")
    for path in paths:
        if not path.exists():
            raise SovkgInputError(f"{path}: no such file or directory")
    sink: QuadSink = StoreSink(store) if store is not None else QuadFile(output)  # type: ignore[arg-type]
    problems = Problems(strict=strict)
    try:
        if kind == "gleif":
            counts = import_gleif(paths, sink, problems, GleifOptions(at, retrieved, published, show_progress))
        elif kind == "bods":
            counts = import_bods(paths, sink, problems, BodsOptions(retrieved, published, publisher, show_progress))
        else:
            counts = import_sheets(paths, sink, problems, SheetsOptions(retrieved, publisher))
        sink.commit()
    except BaseException:
        sink.abort()
        raise
    return ImportResult(kind, counts.rows, counts.imported, counts.skipped, sink.quads, sink.graphs, problems.count,
                        problems.items)
