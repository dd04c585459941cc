"""Store: the Oxigraph engine under the pipeline.

Takes rdflib datasets or graphs; gives Oxigraph stores with the same named graphs, and converts
terms both ways. Imports only :mod:`sovkg.core`.
"""
