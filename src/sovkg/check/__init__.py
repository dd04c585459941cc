"""Check (stage 3): the SHACL shapes of ``ontology/shapes/`` run over asserted and derived facts.

Takes a knowledge graph; gives a :class:`~sovkg.check.shapes.ValidationReport` whose results carry
focus, severity, the legal requirement and a message. Imports derive and below.
"""
