"""Publish (stage 5): what leaves sovkg for people and other tools — the report and the exports.

Takes a knowledge graph (and the answers of the ask stage); gives text, JSON, CSV and RDF files.
Imports ask and below.
"""
