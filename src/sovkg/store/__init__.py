"""Store: the Oxigraph engine under the pipeline.

Takes rdflib datasets or graphs; gives Oxigraph stores with the same named graphs, and converts
terms both ways (:mod:`~sovkg.store.oxigraph`); opens stores in memory, on disk, cached, or a remote
SPARQL endpoint behind one interface (:mod:`~sovkg.store.engine`). Imports only :mod:`sovkg.core`.
"""
