"""Publish (stage 5): what leaves sovkg for people and other tools — the report, the exports, the server.

Takes a knowledge graph (and the answers of the ask stage); gives text, JSON, CSV and RDF files
(``report``, ``export``), Graphviz diagrams (``diagram``), the HTML report (``html_report``), entity
pages (``pages``), the static linked-data site (``site``), the ontology's HTML documentation
(``ontology_docs``; HTML comes from the Jinja2 templates in ``templates/``, ``templating``), and
``sovkg serve``: a read-only SPARQL 1.1 endpoint (``serve``, ``sparql_protocol``, ``sparql_guard``,
``query_pool``), live linked-data pages (``linked_data``), the VoID/DCAT description (``void``) and
the shipped JSON-LD context (``jsonld_context``). Imports ask and below.
"""
