"""Load (stage 1): the ontology, the bundled reference data and case, user files (RDF and
spreadsheet templates) and scenarios into one rdflib ``Dataset``, one named graph per source.

Takes paths; gives a dataset. Parsing never touches the network. Imports :mod:`sovkg.core` and
:mod:`sovkg.store` only.
"""
