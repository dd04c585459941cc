"""Keep translated SPARQL queries on disk, so a new process does not parse the shapes' queries again.

rdflib's SPARQL parser (pyparsing) takes ~40 ms per shape query; the shapes hold a few dozen, which
made parsing the largest part of a first validation (measured: 1.4 s of 2.5 s on the bundled case).
The translated algebra of a query depends only on its text, base and prefixes, so sovkg stores it
under ``<cache dir>/sparql/<hash>.pickle`` (hash of the rdflib version, text, base and prefixes) —
like Python's ``.pyc`` files. An entry that cannot be read is ignored and rebuilt. The cache lives in
the user's own cache folder (see :func:`sovkg.core.cache.cache_dir`); ``SOVKG_CACHE_DIR`` moves it.

Unpickling runs code, so a file is read only if nobody but the current user could have written it:
the ``sparql`` folder and the file must be owned by the current user, be a real folder and a
regular file (not symbolic links), and be neither group- nor world-writable (the folder is made
``0700``, each file ``0600``). Otherwise the entries are not read: a folder of the user's own with
loose permissions is tightened and emptied of its entries (rebuilt from the queries), a folder or
file of another user is left alone and the queries are parsed in memory. Systems without user ids
(Windows) keep the translations in memory only.

>>> import tempfile, os
>>> os.environ["SOVKG_CACHE_DIR"] = tempfile.mkdtemp()
>>> from rdflib import Graph, URIRef
>>> q = translated("SELECT ?s WHERE { ?s ?p ?o }", None, {})
>>> q is translated("SELECT ?s WHERE { ?s ?p ?o }", None, {})   # in memory
True
>>> _memory.clear(); again = translated("SELECT ?s WHERE { ?s ?p ?o }", None, {})   # from disk
>>> g = Graph(); _ = g.add((URIRef("urn:a"), URIRef("urn:b"), URIRef("urn:c")))
>>> [str(row[0]) for row in g.query(again)]
['urn:a']
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import stat
import tempfile
from collections import OrderedDict
from collections.abc import Mapping
from pathlib import Path
from types import MethodType
from typing import Any

import rdflib
from rdflib.plugins.sparql import processor
from rdflib.plugins.sparql.parserutils import CompValue, Expr
from rdflib.plugins.sparql.sparql import Prologue, Query

from sovkg.core.cache import cache_dir

_memory: dict[tuple[Any, ...], Query] = {}


def translated(text: str, base: str | None, namespaces: Mapping[str, Any] | None) -> Query:
    """The translated query for ``text``: from memory, else from disk, else parsed (and stored)."""
    names = tuple(sorted((k, str(v)) for k, v in (namespaces or {}).items()))
    key = (_normalised(text), base, names)
    found = _memory.get(key)
    if found is not None:
        return found
    digest = hashlib.sha256(repr((rdflib.__version__, *key)).encode()).hexdigest()
    path = cache_dir() / "sparql" / f"{digest}.pickle"
    query = _read(path)
    if query is None:
        query = processor.translateQuery(processor.parseQuery(text), base, namespaces)
        _write(path, query)
    _memory[key] = query
    return query


def _normalised(text: str) -> str:
    """The query text with its leading PREFIX lines sorted: pySHACL writes them in set order, which
    changes from one process to the next, and their order does not change the query."""
    lines = text.split("\n")
    head = 0
    while head < len(lines) and lines[head].startswith("PREFIX "):
        head += 1
    return "\n".join(sorted(lines[:head]) + lines[head:])


def _private(info: os.stat_result, kind: int) -> bool:
    """True for a ``kind`` of file (``stat.S_IFDIR``, ``stat.S_IFREG``) only its owner, the current user, can write."""
    return (stat.S_IFMT(info.st_mode) == kind and info.st_uid == os.getuid()
            and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH))


def trusted_folder(folder: Path) -> bool:
    """Whether entries of ``folder`` may be unpickled (see the module docstring); a folder of the
    current user's with loose permissions is tightened to ``0700`` and emptied first."""
    if not hasattr(os, "getuid"):
        return False
    try:
        info = os.lstat(folder)
    except FileNotFoundError:
        return True  # created private by _write
    except OSError:
        return False
    if _private(info, stat.S_IFDIR):
        return True
    if stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid():
        try:
            os.chmod(folder, 0o700)
            for entry in folder.glob("*.pickle"):
                entry.unlink()
        except OSError:
            return False
        return _private(os.lstat(folder), stat.S_IFDIR)
    return False


def _read(path: Path) -> Query | None:
    if not trusted_folder(path.parent):
        return None
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:  # missing, or a symbolic link
        return None
    try:
        with os.fdopen(descriptor, "rb") as handle:
            if not _private(os.fstat(handle.fileno()), stat.S_IFREG):
                return None
            query = pickle.load(handle)
    except Exception:  # truncated or from another rdflib: rebuild it
        return None
    return query if isinstance(query, Query) else None


def _write(path: Path, query: Query) -> None:
    buffer = io.BytesIO()
    try:
        _Pickler(buffer).dump(query)
        path.parent.parent.mkdir(parents=True, exist_ok=True)
        path.parent.mkdir(mode=0o700, exist_ok=True)
        if not trusted_folder(path.parent):
            return
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")  # mode 0600
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(buffer.getvalue())
        os.replace(temporary, path)
    except Exception:  # an unpicklable query or a read-only cache: keep it in memory only
        return


class _Pickler(pickle.Pickler):
    """Pickle rdflib's parse results, whose classes do not pickle on their own."""

    def reducer_override(self, obj: Any) -> Any:
        if isinstance(obj, CompValue):
            # state and items come after the object is memoised, so shared and cyclic parts pickle once;
            # an Expr's evaluation function is a method bound to the object: keep its function only
            state = {k: v for k, v in vars(obj).items() if k != "name"}
            evalfn = state.pop("_evalfn", None)
            if isinstance(evalfn, MethodType):
                state["_evalfn_function"] = evalfn.__func__
            return _compvalue, (type(obj), obj.name), state, None, iter(obj.items()), _set_state
        if isinstance(obj, Prologue):
            names = [(p, str(ns)) for p, ns in obj.namespace_manager.namespaces()]
            return _prologue, (obj.base, names)
        return NotImplemented


def _compvalue(cls: type[CompValue], name: str) -> CompValue:
    value = cls.__new__(cls)
    OrderedDict.__init__(value)
    value.name = name
    if isinstance(value, Expr):
        value._evalfn = None
    return value


def _set_state(value: CompValue, state: dict[str, Any]) -> None:
    # CompValue answers any unknown attribute with None, __setstate__ included, so set it directly
    function = state.pop("_evalfn_function", None)
    vars(value).update(state)
    if function is not None:
        value._evalfn = MethodType(function, value)


def _prologue(base: str | None, names: list[tuple[str, str]]) -> Prologue:
    prologue = Prologue()
    prologue.base = base
    for prefix, namespace in names:
        prologue.bind(prefix, namespace)
    return prologue
