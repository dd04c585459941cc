"""Synthetic ownership-and-hosting graphs of a given size, for measuring how cost grows.

``generate(n)`` writes ``n`` companies in ownership trees (each company but the roots holds a
stake in by a parent, above or below the control threshold), seated in a mix of EU and non-EU
countries of the reference data, with ``n // 5`` systems hosted by random companies, some with
subcontractors, every fact sourced. Deterministic for a given ``n`` and ``seed``.

>>> text = generate(10)
>>> text.count("a sov:Company")
10
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

COUNTRIES = ["FR", "FR", "FR", "DE", "IE", "NL", "US", "US", "GB", "CN", "CH"]


def generate(n: int, seed: int = 7) -> str:
    """Turtle text of a synthetic graph with ``n`` companies."""
    rng = random.Random(seed)
    out = [
        "@base <https://w3id.org/sovkg/id/> .",
        "@prefix sov: <https://w3id.org/sovkg/ns#> .",
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .",
        "@prefix dcterms: <http://purl.org/dc/terms/> .",
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .",
        "",
        '<source/synthetic> a sov:Source ; rdfs:label "synthetic benchmark data"@en ;',
        '    dcterms:title "Synthetic benchmark data (not real)" ; dcterms:publisher "sovkg bench" ;',
        '    dcterms:date "2026-11-29"^^xsd:date ; sov:url "https://w3id.org/sovkg/"^^xsd:anyURI ;',
        '    sov:urlPrecision "site" .',
    ]
    src = "sov:source <source/synthetic> ; sov:confidence sov:LowConfidence ; sov:illustrative true"
    for i in range(n):
        country = rng.choice(COUNTRIES)
        out.append(
            f'<synthetic/org/{i}> a sov:Company ; rdfs:label "Synthetic company {i}"@en ; '
            f"sov:registeredOffice <country/{country}> ; sov:centralAdministration <country/{country}> ; {src} ."
        )
        if i >= 10 and rng.random() < 0.9:
            parent = rng.randrange(max(0, i - 50), i)
            share = rng.choice([100, 100, 75, 51, 40, 30, 20, 10])
            out.append(
                f'<synthetic/stake/{parent}-{i}> a sov:OwnershipStake ; rdfs:label "stake {parent} in {i}"@en ; '
                f"sov:holder <synthetic/org/{parent}> ; sov:held <synthetic/org/{i}> ; "
                f"sov:capitalPercent {share} ; sov:votingPercent {share} ; {src} ."
            )
    for j in range(max(1, n // 5)):
        provider = rng.randrange(n)
        out.append(
            f'<synthetic/system/{j}> a sov:InformationSystem ; rdfs:label "Synthetic system {j}"@en ; '
            f"sov:holdsData sov:PersonalHealthData ; {src} ."
        )
        sub = ""
        if rng.random() < 0.2:
            other = rng.randrange(n)
            sub = f" ; sov:subcontracting <synthetic/subcontracting/{j}>"
            out.append(
                f'<synthetic/subcontracting/{j}> a sov:Subcontracting ; rdfs:label "subcontracting {j}"@en ; '
                f"sov:subcontractor <synthetic/org/{other}> ; sov:technicalAccessToData true ; {src} ."
            )
        out.append(
            f'<synthetic/hosting/{j}> a sov:HostingArrangement ; rdfs:label "hosting {j}"@en ; '
            f"sov:hostedSystem <synthetic/system/{j}> ; sov:provider <synthetic/org/{provider}> ; "
            f'sov:storageLocation <country/FR> ; sov:validFrom "2020-01-01"^^xsd:date{sub} ; {src} .'
        )
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    size = int(sys.argv[1])
    Path(sys.argv[2]).write_text(generate(size), encoding="utf-8")
