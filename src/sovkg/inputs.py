"""List the files a run reads, without parsing them (cheap: used for cache keys).

>>> files = bundled_files(include_case=False, include_reference=False)
>>> files[0].graph.startswith("https://w3id.org/sovkg/graph/ontology/")
True
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sovkg.errors import SovkgInputError
from sovkg.resources import resource_path, resource_root

GRAPH_BASE = "https://w3id.org/sovkg/graph/"

RDF_SUFFIXES: tuple[str, ...] = (".ttl", ".nt", ".nq", ".trig", ".jsonld", ".rdf", ".owl", ".xml")
"""File suffixes sovkg reads as RDF."""


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
    """Expand user paths (files or folders) into the RDF files they name.

    A path that does not exist, a folder with no RDF file, or a file whose suffix sovkg cannot read
    is a :class:`SovkgInputError`.
    """
    files: list[InputFile] = []
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise SovkgInputError(f"{raw}: no such file or directory")
        if path.is_dir():
            found = rdf_files_in(path, recursive=True)
            if not found:
                raise SovkgInputError(f"{raw}: the folder holds no RDF file ({suffix_list()})")
        elif path.suffix.lower() in RDF_SUFFIXES:
            found = [path]
        else:
            raise SovkgInputError(f"{raw}: unsupported file type {path.suffix!r} ({suffix_list()})")
        files.extend(InputFile(p, p.resolve().as_uri()) for p in found)
    return files


def fingerprint(paths: Iterable[Path], *extra: str) -> str:
    """Hash file names and contents, plus extra strings: a key that changes with any input."""
    digest = hashlib.sha256()
    for item in extra:
        digest.update(item.encode() + b"\0")
    for path in paths:
        digest.update(str(path).encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def rdf_files_in(folder: Path, *, recursive: bool) -> list[Path]:
    """The RDF files in a folder, sorted."""
    pattern = "**/*" if recursive else "*"
    return sorted(p for p in folder.glob(pattern) if p.is_file() and p.suffix.lower() in RDF_SUFFIXES)


def suffix_list() -> str:
    """The readable suffixes, for error messages."""
    return "readable: " + ", ".join(sorted(RDF_SUFFIXES))
