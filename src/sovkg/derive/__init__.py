"""Derive (stage 2): what follows from the facts as of a date, into the ``inferred`` named graph.

Takes a loaded dataset; gives a :class:`~sovkg.derive.knowledge_graph.KnowledgeGraph` whose
``inferred`` graph holds the OWL RL subset, validity on the date, control, effective ownership,
which law binds whom and the exposure findings with their evidence. :mod:`~sovkg.derive.run`
orchestrates the stages; :mod:`~sovkg.derive.ownership` and :mod:`~sovkg.derive.exposure` share
helpers through :mod:`~sovkg.derive.common` and never import the orchestrator. The store engine
(default) runs the same rules set-oriented on an Oxigraph store (:mod:`~sovkg.derive.store_rules`,
driven by :mod:`~sovkg.derive.store_engine`). Imports load and below.
"""
