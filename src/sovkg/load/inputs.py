"""List the files a run reads, without parsing them (cheap: used for cache keys).

A run reads RDF files (by suffix) and the spreadsheet templates of :mod:`sovkg.load.sheets`: CSV
files named ``organisations.csv``, ``stakes.csv``, ``systems.csv``, ``hosting.csv`` or
``certificates.csv``, or ``.xlsx`` workbooks with one sheet per template. This module stays
import-light (no rdflib): the report cache uses it to decide whether anything needs parsing at all.

>>> files = bundled_files(include_case=False, include_reference=False)
>>> files[0].graph.startswith("https://w3id.org/sovkg/graph/ontology/")
True
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sovkg.core.errors import SovkgInputError
from sovkg.core.resources import resource_path, resource_root

GRAPH_BASE = "https://w3id.org/sovkg/graph/"

RDF_SUFFIXES: tuple[str, ...] = (".ttl", ".nt", ".nq", ".trig", ".jsonld", ".rdf", ".owl", ".xml")
"""File suffixes sovkg reads as RDF."""

WORKBOOK_SUFFIXES: tuple[str, ...] = (".xlsx",)
"""Spreadsheet workbooks sovkg reads: one sheet per template (:mod:`sovkg.load.sheets`)."""

TEMPLATE_NAMES: tuple[str, ...] = (
    "organisations.csv",
    "stakes.csv",
    "systems.csv",
    "hosting.csv",
    "certificates.csv",
)
"""The spreadsheet templates sovkg reads (:mod:`sovkg.load.sheets`); names match case-insensitively."""


@dataclass(frozen=True)
class InputFile:
    """One file to load, with the IRI of the named graph it goes to."""

    path: Path
    graph: str


def bundled_files(*, include_reference: bool = True, include_case: bool = True) -> list[InputFile]:
    """List the bundled files: the ontology modules, then reference data, then the French case."""
    root = resource_root()
    folders = [resource_path("ontology")]
    if include_reference:
        folders.append(resource_path("data/reference"))
    if include_case:
        folders.append(resource_path("data/case"))
    files: list[InputFile] = []
    for folder in folders:
        for path in rdf_files_in(folder, recursive=folder.name != "ontology"):
            files.append(InputFile(path, GRAPH_BASE + path.relative_to(root).as_posix()))
    return files


def user_files(paths: Iterable[str | Path]) -> list[InputFile]:
    """Expand user paths (files or folders) into the RDF files and spreadsheet templates they name.

    A folder is searched recursively for RDF files and for the spreadsheet templates
    (:data:`TEMPLATE_NAMES`). A path that does not exist, a folder with neither, a file whose suffix
    sovkg cannot read, a ``.csv`` file that is not named like a template, or another ``.csv`` file
    next to a template (a misspelt template name, say) is a :class:`SovkgInputError`.
    """
    files: list[InputFile] = []
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise SovkgInputError(f"{raw}: no such file or directory")
        require_file_or_folder(path, raw)
        if path.is_dir():
            tables = template_files_in(path, recursive=True)
            books = sorted(p for p in path.glob("**/*") if p.is_file() and p.suffix.lower() in WORKBOOK_SUFFIXES
                           and not p.name.startswith("~$"))
            found = sorted(rdf_files_in(path, recursive=True) + tables + books)
            if not found:
                raise SovkgInputError(f"{raw}: the folder holds no RDF file ({suffix_list()})")
        elif path.suffix.lower() in RDF_SUFFIXES + WORKBOOK_SUFFIXES:
            found = [path]
        elif path.suffix.lower() == ".csv":
            if template_name(path) is None:
                raise SovkgInputError(f"{raw}: {path.name!r} is not a spreadsheet template name ({template_list()})")
            found = [path]
        else:
            raise SovkgInputError(f"{raw}: unsupported file type {path.suffix!r} ({suffix_list()})")
        files.extend(InputFile(p, p.resolve().as_uri()) for p in found)
    return files


def require_file_or_folder(path: Path, shown: str | Path | None = None) -> None:
    """Refuse an input that is neither a regular file nor a folder (a FIFO, a device, a socket).

    Reading one would block or never end (``/dev/zero``, a named pipe nobody writes to).

    >>> require_file_or_folder(Path("/dev/null"))
    Traceback (most recent call last):
    ...
    sovkg.core.errors.SovkgInputError: /dev/null: is a device; an input must be a regular file or a folder
    """
    import stat

    try:
        mode = path.stat().st_mode
    except OSError as error:
        raise SovkgInputError(f"{shown or path}: cannot be read ({error.strerror})") from None
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return
    kind = ("a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "a named pipe (FIFO)"
            if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode) else "not a regular file")
    raise SovkgInputError(f"{shown or path}: is {kind}; an input must be a regular file or a folder")


def fingerprint(paths: Iterable[Path], *extra: str) -> str:
    """Hash file names and contents, plus extra strings: a key that changes with any input.

    A spreadsheet template is read together with the templates next to it (its ids are defined
    there), so their contents count too.
    """
    digest = hashlib.sha256()
    for item in extra:
        digest.update(item.encode() + b"\0")
    for path in paths:
        digest.update(str(path).encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
        if template_name(path) is not None:
            for sibling in template_siblings(path):
                if sibling.name != path.name:
                    digest.update(b"sibling\0" + sibling.name.encode() + b"\0")
                    digest.update(hashlib.sha256(sibling.read_bytes()).digest())
    return digest.hexdigest()


NOT_RDF_NAMES = frozenset({"catalog-v001.xml"})
"""XML files that are never RDF: the OASIS XML catalog Protégé keeps beside an ontology."""


def rdf_files_in(folder: Path, *, recursive: bool) -> list[Path]:
    """The RDF files in a folder, sorted (a Protégé ``catalog-v001.xml`` is skipped)."""
    pattern = "**/*" if recursive else "*"
    return sorted(
        p for p in folder.glob(pattern)
        if p.is_file() and p.suffix.lower() in RDF_SUFFIXES and p.name.lower() not in NOT_RDF_NAMES
    )


def template_name(path: Path) -> str | None:
    """The template a file is (its lower-case name), or None when it is not one.

    >>> template_name(Path("data/Stakes.CSV")), template_name(Path("data/notes.csv"))
    ('stakes.csv', None)
    """
    name = path.name.lower()
    return name if name in TEMPLATE_NAMES else None


def template_siblings(path: Path) -> list[Path]:
    """The spreadsheet templates in the folder of ``path`` (itself included when it is one), sorted."""
    folder = path.parent
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and template_name(p) is not None)


def template_files_in(folder: Path, *, recursive: bool) -> list[Path]:
    """The spreadsheet templates in a folder, sorted.

    A folder that holds a template may hold no other ``.csv`` file: a misspelt template name
    (``organizations.csv``) would otherwise be skipped without a word.
    """
    pattern = "**/*" if recursive else "*"
    tables: list[Path] = []
    for path in sorted(folder.glob(pattern)):
        if path.is_file() and path.suffix.lower() == ".csv" and template_name(path) is not None:
            tables.append(path)
    for parent in sorted({p.parent for p in tables}):
        for stray in sorted(parent.iterdir()):
            if stray.is_file() and stray.suffix.lower() == ".csv" and template_name(stray) is None:
                raise SovkgInputError(f"{stray}: {stray.name!r} is not a spreadsheet template name ({template_list()})")
    return tables


def suffix_list() -> str:
    """The readable suffixes, for error messages."""
    return "readable: " + ", ".join(sorted(RDF_SUFFIXES)) + ", the spreadsheet templates (" + ", ".join(
        TEMPLATE_NAMES) + ") and .xlsx workbooks of them"


def template_list() -> str:
    """The template names, for error messages."""
    return "a spreadsheet must be named " + ", ".join(TEMPLATE_NAMES[:-1]) + " or " + TEMPLATE_NAMES[-1]


_PACKAGE_DIR = Path(__file__).resolve().parents[1]


def report_key(input_paths: Iterable[Path], *options: str) -> str:
    """The cache key of a report: inputs, shapes, queries, sovkg's code and the options."""
    paths = list(input_paths)
    paths += rdf_files_in(resource_path("ontology/shapes"), recursive=True)
    paths += sorted(resource_path("queries").glob("**/*.rq"))
    paths += sorted(_PACKAGE_DIR.glob("**/*.py"))
    return fingerprint(paths, *options)
