"""Publish (stage 5): what leaves sovkg for people and other tools — the report and the exports.

Takes a knowledge graph (and the answers of the ask stage); gives text, JSON, CSV and RDF files
(``report``, ``export``), Graphviz diagrams (``diagram``), the HTML report (``html_report``), entity
pages (``pages``), the static linked-data site (``site``) and the ontology's HTML documentation
(``ontology_docs``); HTML comes from the Jinja2 templates in ``templates/`` (``templating``).
Imports ask and below.
"""
