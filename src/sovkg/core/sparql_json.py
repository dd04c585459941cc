"""One Oxigraph term as a W3C SPARQL 1.1 Query Results JSON value.

Takes a pyoxigraph term; gives the ``{"type", "value", …}`` object. It needs pyoxigraph only, so the
server's query workers can use it without loading rdflib.

>>> import pyoxigraph as ox
>>> ox_json_term(ox.Literal("12.5", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")))
{'type': 'literal', 'value': '12.5', 'datatype': 'http://www.w3.org/2001/XMLSchema#decimal'}
>>> ox_json_term(ox.Literal("Santé", language="fr"))
{'type': 'literal', 'value': 'Santé', 'xml:lang': 'fr'}
"""

from __future__ import annotations

import pyoxigraph as ox

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def ox_json_term(term: object) -> dict[str, str] | None:
    """The SPARQL JSON object of an IRI, blank node or literal; None for anything else (a quoted triple)."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    return None
