"""Run the store engine for a loaded dataset: fill an Oxigraph store, derive on it, keep it for the next run.

Takes the rdflib dataset :mod:`sovkg.load` parsed (one named graph per file) and a date; gives the
derived :class:`~sovkg.store.engine.LocalStore` (asserted graphs plus ``…/graph/inferred``) and
copies the derived triples into the dataset's ``inferred`` graph, so that exports and the
rdflib-based readers see exactly what the store holds.

With a cache key, the derived store is kept on disk (:func:`sovkg.store.engine.save_store`) and a
later run on unchanged inputs reopens it read-only instead of deriving again
(:func:`cached_derived_store`).

>>> import datetime as dt
>>> from sovkg.load.rdf import load_dataset
>>> ds = load_dataset(include_case=False)
>>> store = derive_dataset(ds, as_of=dt.date(2026, 11, 29))
>>> len(ds.graph(INFERRED_GRAPH)) == len(store.select(
...     "SELECT * WHERE { GRAPH <https://w3id.org/sovkg/graph/inferred> { ?s ?p ?o } }"))
True
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import XSD, Dataset, Graph, Literal
from rdflib.term import Node

from sovkg.core.errors import SovkgInputError
from sovkg.core.namespaces import INFERRED_GRAPH, SOV
from sovkg.derive.store_rules import derive_store
from sovkg.model import ExposureFinding
from sovkg.store.engine import LocalStore, open_cached_store, open_store, save_store
from sovkg.store.oxigraph import from_oxigraph_term, to_oxigraph

_INFERRED_NODE = ox.NamedNode(str(INFERRED_GRAPH))
_AS_OF = ox.NamedNode(str(SOV.asOf))

__all__ = ["cached_derived_store", "copy_inferred", "derive_dataset", "derive_into_store", "store_findings",
           "store_names"]


def derive_dataset(dataset: Dataset, *, as_of: dt.date, key: str | None = None,
                   path: str | Path | None = None, copy: bool = True) -> LocalStore:
    """Load ``dataset`` into a store (in memory, or at ``path``), derive, copy the inferred graph back
    (unless ``copy`` is false: the caller copies it with :func:`copy_inferred` when it needs it).

    With ``key``, a store derived earlier from the same inputs is reused, and a new one is cached.
    """
    store = cached_derived_store(key) if key is not None and path is None else None
    if store is None:
        store = open_store(path)
        if path is not None:
            store.store.clear()
        to_oxigraph(dataset, store.store)
        derive_store(store, as_of=as_of)
        if key is not None and path is None:
            save_store(store, key)
    if copy:
        copy_inferred(store, dataset)
    return store


def cached_derived_store(key: str) -> LocalStore | None:
    """The derived store cached under ``key`` (read-only), or None."""
    return open_cached_store(key)


def copy_inferred(store: LocalStore, dataset: Dataset) -> None:
    """Replace the dataset's ``inferred`` graph with the store's."""
    inferred = dataset.graph(INFERRED_GRAPH)
    inferred.remove((None, None, None))
    quads = store.store.quads_for_pattern(None, None, None, _INFERRED_NODE)
    inferred.addN((from_oxigraph_term(q.subject), from_oxigraph_term(q.predicate), _decimal_form(q.object),
                   inferred) for q in quads)


_DECIMAL = "http://www.w3.org/2001/XMLSchema#decimal"


def _decimal_form(term: object) -> Node:
    """An rdflib term, with an ``xsd:decimal`` written as sovkg writes derived figures (``30.0``, not ``30``).

    Oxigraph keeps numbers in their XSD 1.1 canonical form, which drops a decimal's ``.0``; the
    derivation writes every decimal with a decimal point (the XSD 1.0 canonical form), so putting it
    back gives exactly the triples the rdflib pipeline writes.

    >>> _decimal_form(ox.Literal("30", datatype=ox.NamedNode(_DECIMAL)))
    rdflib.term.Literal('30.0', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#decimal'))
    """
    if isinstance(term, ox.Literal) and term.datatype.value == _DECIMAL and "." not in term.value:
        return Literal(term.value + ".0", datatype=XSD.decimal)
    return from_oxigraph_term(term)


def derive_into_store(path: str | Path, data: Sequence[str | Path] = (), *, include_case: bool = True,
                      as_of: dt.date, scenario: str | Path | None = None) -> tuple[int, int]:
    """``sovkg derive --store PATH``: derive into the on-disk store at ``path``; return (derived triples, files loaded).

    An empty (or new) store is first filled with the bundled files and ``data`` (and ``scenario``); a store
    that already holds asserted graphs (filled by an importer, or by an earlier run) is derived as it is, after
    the bundled files are added when it holds none of them (an import alone: without the ontology and the
    laws, nothing would be found exposed, and unknown would read as absent). A
    store derived before is derived again in a copy of its asserted graphs, which then replaces it, when that
    costs less than clearing its derived graph (:func:`_asserted_copy`, :func:`_worth_a_copy`).

    A run that fails (bad input, an interruption) leaves nothing it made: a store folder it created is removed,
    and so is the copy; a store derived in place keeps its asserted graphs and what was derived, without the
    graph's ``sov:asOf``, so that readers refuse it (:func:`sovkg.derive.knowledge_graph.derived_on`) until a
    run succeeds.
    """
    folder = Path(path)
    created = not folder.exists()
    store = open_store(folder)
    copy: Path | None = None
    in_place = False
    try:
        asserted = _asserted_graphs(store)
        if not asserted:
            loaded = _fill(store, data, include_case=include_case, scenario=scenario)
        elif data or scenario is not None:
            raise SovkgInputError(f"{path}: the store already holds a graph; --data and --scenario only fill an "
                                  "empty store (import more data with `sovkg import`)")
        else:
            loaded = _add_bundled(store, asserted, include_case=include_case)
        if _worth_a_copy(store):  # derived before: derived again in a copy, which then replaces it
            store = _asserted_copy(store)  # the old store is closed (its last reference dropped)
            copy = store.path
        in_place = copy is None
        count = derive_store(store, as_of=as_of)
        store.store.flush()
    except BaseException:  # nothing left behind that this run made: the store folder it created, or the copy
        if in_place and not created:  # the date readers look for goes: not a derived graph
            for quad in list(store.store.quads_for_pattern(_INFERRED_NODE, _AS_OF, None, _INFERRED_NODE)):
                store.store.remove(quad)
            store.store.flush()
        del store  # closed before its folder is removed
        gc.collect()
        if created:
            shutil.rmtree(folder, ignore_errors=True)
        elif copy is not None:
            shutil.rmtree(copy, ignore_errors=True)
        raise
    if copy is not None:
        del store  # closed before it moves
        gc.collect()
        _replace(folder, copy)
    return count, loaded


def _fill(store: LocalStore, data: Sequence[str | Path], *, include_case: bool,
          scenario: str | Path | None) -> int:
    """Load the bundled files and ``data`` (and apply ``scenario``) into an empty store; return how many files were
    loaded. Every file is parsed before anything is written, so bad input leaves the store as it was."""
    from sovkg.load.inputs import bundled_files, user_files
    from sovkg.load.rdf import load_files

    files = bundled_files(include_case=include_case) + user_files(data)
    dataset = load_files(files)
    if scenario is not None:
        from sovkg.load.scenario import apply_scenario, as_scenario

        apply_scenario(dataset, as_scenario(scenario))
    to_oxigraph(dataset, store.store)
    return len(files)


def _add_bundled(store: LocalStore, asserted: Sequence[Any], *, include_case: bool) -> int:
    """Load the bundled files (the ontology, the reference data, the case unless ``include_case`` is false) into
    a store that holds none of them; return how many were loaded (none when it holds any)."""
    from sovkg.load.inputs import bundled_files
    from sovkg.load.rdf import load_files

    held = {g.value for g in asserted if isinstance(g, ox.NamedNode)}
    if held & {f.graph for f in bundled_files(include_case=False)}:
        return 0
    files = bundled_files(include_case=include_case)
    to_oxigraph(load_files(files), store.store)
    return len(files)


def _asserted_graphs(store: LocalStore) -> list[Any]:
    """The store's named graphs but the inferred one."""
    return [g for g in store.store.named_graphs() if g != _INFERRED_NODE]


def _asserted_copy(store: LocalStore) -> LocalStore:
    """A new store beside ``store`` (``PATH.deriving``) holding its asserted graphs and default graph: a store
    derived before is derived again in it, and it then takes the old one's place (:func:`_replace`).

    Until the copy is derived, the store is left as it was, so an interrupted run loses nothing. Clearing the
    derived graph in place was slower: at 40,000 GLEIF entities, deleting its 1.46 million quads took 53 s and
    the rules then read past their deletion marks (156 s in all, 2.1 GB, against 101 s and 0.94 GB for the
    first derivation).
    """
    assert store.path is not None
    fresh_folder = store.path.with_name(store.path.name + ".deriving")
    shutil.rmtree(fresh_folder, ignore_errors=True)
    fresh = open_store(fresh_folder)
    for graph in [*_asserted_graphs(store), ox.DefaultGraph()]:
        fresh.store.bulk_extend(store.store.quads_for_pattern(None, None, None, graph))
    return fresh


def _worth_a_copy(store: LocalStore) -> bool:
    """Whether deriving again in a copy of the asserted graphs costs less than clearing the derived graph in place:
    copying cost 13 µs a quad, deleting 36 µs (40,000 GLEIF entities on disk), and the rules then read past the
    deletion marks. The reference data derived alone before an import (719 triples) is cleared in place."""
    derived = store.count(str(INFERRED_GRAPH))
    return derived * 3 > len(store) - derived


def _replace(folder: Path, copy: Path) -> None:
    """Put the store folder ``copy`` in the place of ``folder`` (both closed)."""
    retired = folder.with_name(folder.name + ".replaced")
    shutil.rmtree(retired, ignore_errors=True)
    os.rename(folder, retired)
    os.rename(copy, folder)
    shutil.rmtree(retired, ignore_errors=True)


_LABELS = "?s ?p ?o . FILTER (?p IN (rdfs:label, skos:prefLabel))"
FINDINGS = f"""CONSTRUCT {{ ?s ?p ?o }} WHERE {{
    {{ ?finding a sov:ExposureFinding ; ?p ?o . BIND (?finding AS ?s) }}
    UNION {{ ?finding a sov:ExposureFinding ; sov:evidence ?s . ?s ?p ?o }}
    UNION {{ ?finding a sov:ExposureFinding ; sov:evidence ?step . ?step sov:viaFact ?s . ?s sov:confidence ?o .
            BIND (sov:confidence AS ?p) }}
    UNION {{ ?finding a sov:ExposureFinding ; ?link ?s .
            FILTER (?link IN (sov:exposedSystem, sov:applicableLaw, sov:boundEntity)) {_LABELS} }}
    UNION {{ ?finding a sov:ExposureFinding ; sov:evidence ?step . ?step sov:stepNode ?s . {_LABELS} }}
    UNION {{ ?finding a sov:ExposureFinding ; sov:evidence ?step . ?step sov:viaFact ?via . ?via sov:confidence ?s .
            {_LABELS} }}
    UNION {{ ?finding a sov:ExposureFinding ; sov:evidence ?step . ?step sov:source ?s . ?s ?p ?o .
            FILTER (?p IN (rdfs:label, skos:prefLabel, dcterms:title, dcterms:publisher, dcterms:date, sov:url)) }}
    }}"""
"""Everything :func:`sovkg.derive.exposure.read_findings` reads: findings, evidence steps, labels, sources."""


def store_findings(store: LocalStore, *, system: str | None = None, law: str | None = None
                   ) -> tuple[ExposureFinding, ...]:
    """The exposure findings of a derived store, read with one query (no full graph is built); with ``system``
    or ``law`` (IRIs), only those about that system or law, read by an index lookup on it."""
    from sovkg.derive.exposure import read_findings
    from sovkg.derive.store_rules import constructed_graph

    about = "".join(f" ; sov:{p} <{iri}>" for p, iri in (("exposedSystem", system), ("applicableLaw", law)) if iri)
    query = FINDINGS.replace("?finding a sov:ExposureFinding", "?finding a sov:ExposureFinding" + about)
    return read_findings(constructed_graph(store, query))


NAMES = """CONSTRUCT { ?s a ?type ; ?p ?o } WHERE {
    VALUES ?type { sov:InformationSystem sov:Law } ?s a ?type .
    OPTIONAL { ?s ?p ?o . FILTER (?p IN (rdfs:label, skos:altLabel, sov:legalName)) } }"""
"""The systems and laws of a store with their names: what ``exposure --system``/``--law`` resolve a name against."""


def store_names(store: LocalStore) -> Graph:
    """The systems and laws of a store with their labels, as a small rdflib graph (see :data:`NAMES`).

    >>> from sovkg.load.rdf import load_dataset
    >>> store = derive_dataset(load_dataset(include_case=False), as_of=dt.date(2026, 11, 29), copy=False)
    >>> from sovkg.ask.entities import resolve_entity
    >>> str(resolve_entity(store_names(store), "CLOUD Act"))
    'https://w3id.org/sovkg/id/law/us-cloud-act'
    """
    from sovkg.derive.store_rules import constructed_graph

    return constructed_graph(store, NAMES)
