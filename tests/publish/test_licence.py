"""Licences are stated, and stated the same everywhere: Apache-2.0 for the code (``LICENSE``,
``pyproject.toml``), CC BY 4.0 for the data and the ontology (every ontology header, the README, the
VoID description the server publishes)."""

from __future__ import annotations

import tomllib
from pathlib import Path

from rdflib import DCTERMS, OWL, RDF, Graph, URIRef

from sovkg.publish.void import DATA_LICENSE

ROOT = Path(__file__).resolve().parents[2]
ONTOLOGY_FILES = sorted((ROOT / "ontology").glob("*.ttl")) + sorted((ROOT / "ontology").glob("*/*.ttl"))


def test_code_licence_is_apache_2() -> None:
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert "Apache License" in text and "Version 2.0, January 2004" in text
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == {"text": "Apache-2.0"}


def test_every_ontology_header_states_the_data_licence() -> None:
    assert DATA_LICENSE == "https://creativecommons.org/licenses/by/4.0/"
    headers = 0
    for path in ONTOLOGY_FILES:
        graph = Graph().parse(path, format="turtle")
        for ontology in graph.subjects(RDF.type, OWL.Ontology):
            headers += 1
            assert set(graph.objects(ontology, DCTERMS.license)) == {URIRef(DATA_LICENSE)}, path.name
    assert headers == len(ONTOLOGY_FILES) > 10


def test_readme_states_both_licences() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Licences", 1)[1].split("\n## ", 1)[0]
    assert "Apache-2.0" in section and "LICENSE" in section
    assert "CC BY 4.0" in section and DATA_LICENSE in section
