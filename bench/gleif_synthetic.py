"""Synthetic data in the real GLEIF golden-copy shape, and the import benchmark.

``generate`` writes, for N legal entities, into one folder:

- ``level1.csv``: LEI-CDF Level 1 records (the golden copy's column names, a subset of its ~300
  columns), valid but fictitious LEIs (prefix ``SYNT``), legal and headquarters countries, legal
  jurisdictions (US entities incorporated in a state, ``US-DE``), a few branches and inactive entities;
- ``rr.csv``: relationship records: groups of 1 to ~60 entities, parent chains up to depth 8
  (``IS_DIRECTLY_CONSOLIDATED_BY`` for every subsidiary, ``IS_ULTIMATELY_CONSOLIDATED_BY`` below
  depth 1), about 15 % of the ultimate parents outside the EU (US, GB, CN, CH, JP), some ended
  relationships, branches (``IS_INTERNATIONAL_BRANCH_OF``) and fund links that are not ownership;
- ``repex.csv``: reporting exceptions for about 30 % of the ultimate parents (natural persons,
  non-consolidating) and for about 2 % of the subsidiaries (parent not disclosed: unknown chain);
- ``bods.jsonl``: BODS 0.4 statements for about 10 % of the entities: the entity, its direct
  shareholding by its parent (exact share), and cross-holdings between groups (10 to 30 %, in both
  directions for a part of them);
- ``sheets/systems.csv`` and ``sheets/hosting.csv``: a few hundred systems (N / 50, at least 200,
  at most 2,000) hosted by entities named by LEI;
- ``expected.json``: the hand computation of the CLOUD Act exposure of each system from the GLEIF
  files alone: ``exposed`` (an entity reached from the provider by its direct parents, or by an
  ultimate-parent record of one of them, the provider included, has its legal address in the US),
  ``unknown`` (not exposed on what is recorded, but the chain reaches an entity whose parent is
  not disclosed) or ``not exposed``. BODS cross-holdings (10 to 30 %) are left out of it.

``measure`` generates each size in a temporary folder and imports it, in a fresh process, into an
on-disk Oxigraph store and into an N-Quads file, printing wall time and peak memory (max RSS)::

    python bench/gleif_synthetic.py generate --entities 10000 --out /tmp/gleif-10k
    python bench/gleif_synthetic.py measure --entities 10000 100000
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import subprocess
import sys
import tempfile
from pathlib import Path

from stdnum.iso7064 import mod_97_10

EU = ["FR", "DE", "IE", "NL", "LU", "BE", "IT", "ES", "PL", "SE", "AT", "DK", "FI", "PT", "CZ"]
NON_EU = ["US", "US", "US", "GB", "CN", "CH", "JP"]
US_STATES = ["US-DE", "US-DE", "US-DE", "US-WA", "US-CA", "US-NY"]
LEVEL1_COLUMNS = [
    "LEI", "Entity.LegalName", "Entity.LegalName.xmllang", "Entity.LegalAddress.FirstAddressLine",
    "Entity.LegalAddress.City", "Entity.LegalAddress.Region", "Entity.LegalAddress.Country",
    "Entity.LegalAddress.PostalCode", "Entity.HeadquartersAddress.FirstAddressLine",
    "Entity.HeadquartersAddress.City", "Entity.HeadquartersAddress.Region", "Entity.HeadquartersAddress.Country",
    "Entity.HeadquartersAddress.PostalCode", "Entity.RegistrationAuthority.RegistrationAuthorityID",
    "Entity.RegistrationAuthority.RegistrationAuthorityEntityID", "Entity.LegalJurisdiction",
    "Entity.EntityCategory", "Entity.LegalForm.EntityLegalFormCode", "Entity.EntityStatus",
    "Entity.EntityCreationDate", "Registration.InitialRegistrationDate", "Registration.LastUpdateDate",
    "Registration.RegistrationStatus", "Registration.NextRenewalDate", "Registration.ManagingLOU",
    "Registration.ValidationSources",
]
RR_COLUMNS = [
    "Relationship.StartNode.NodeID", "Relationship.StartNode.NodeIDType", "Relationship.EndNode.NodeID",
    "Relationship.EndNode.NodeIDType", "Relationship.RelationshipType", "Relationship.RelationshipStatus",
    "Relationship.Period.1.startDate", "Relationship.Period.1.endDate", "Relationship.Period.1.periodType",
    "Relationship.Period.2.startDate", "Relationship.Period.2.endDate", "Relationship.Period.2.periodType",
    "Relationship.Quantifiers.1.MeasurementMethod", "Relationship.Quantifiers.1.QuantifierAmount",
    "Relationship.Quantifiers.1.QuantifierUnits", "Registration.InitialRegistrationDate",
    "Registration.LastUpdateDate", "Registration.RegistrationStatus", "Registration.NextRenewalDate",
    "Registration.ManagingLOU", "Registration.ValidationSources", "Registration.ValidationDocuments",
    "Registration.ValidationReference",
]
REPEX_COLUMNS = ["LEI", "Exception.Category", "Exception.Reason.1", "Exception.Reference.1",
                 "Registration.InitialRegistrationDate", "Registration.LastUpdateDate",
                 "Registration.RegistrationStatus", "Registration.NextRenewalDate", "Registration.ManagingLOU",
                 "Registration.ValidationSources"]


def lei(number: int) -> str:
    """A valid, fictitious LEI (``SYNT`` is no LOU prefix)."""
    base = f"SYNT00{number:012d}"
    return base + mod_97_10.calc_check_digits(base)


def generate(entities: int, out: Path, seed: int = 7) -> dict[str, int]:
    """Write the synthetic files for ``entities`` legal entities into ``out``; return counts."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    (out / "sheets").mkdir(exist_ok=True)
    parent: dict[int, int] = {}
    root_of: dict[int, int] = {}
    depth: dict[int, int] = {}
    country: dict[int, str] = {}
    roots: list[int] = []
    i = 0
    while i < entities:  # groups: a root, then subsidiaries attached below a random member, depth <= 8
        size = min(entities - i, max(1, int(rng.paretovariate(1.3))) if rng.random() < 0.5 else rng.randint(1, 60))
        root = i
        roots.append(root)
        country[root] = rng.choice(NON_EU) if rng.random() < 0.15 else rng.choice(EU)
        parent[root], root_of[root], depth[root] = -1, root, 0
        members = [root]
        for j in range(root + 1, root + size):
            candidates = [m for m in members[-12:] if depth[m] < 8]
            up = rng.choice(candidates) if candidates else root
            parent[j], root_of[j], depth[j] = up, root, depth[up] + 1
            country[j] = rng.choice(EU) if rng.random() < 0.85 else rng.choice(NON_EU)
            members.append(j)
        i += size
    branch = {j for j in range(entities) if parent[j] >= 0 and rng.random() < 0.01}
    inactive = {j for j in range(entities) if rng.random() < 0.02}
    with (out / "level1.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_ALL, lineterminator="\n")
        writer.writerow(LEVEL1_COLUMNS)
        for j in range(entities):
            c = country[j]
            row = dict.fromkeys(LEVEL1_COLUMNS, "")
            row.update({
                "LEI": lei(j), "Entity.LegalName": f"Synthetic Entity {j} {'SAS' if c == 'FR' else 'Ltd'}",
                "Entity.LegalName.xmllang": "en", "Entity.LegalAddress.City": f"City {j % 97}",
                "Entity.LegalAddress.Country": c, "Entity.HeadquartersAddress.Country": c,
                "Entity.LegalJurisdiction": rng.choice(US_STATES) if c == "US" else c,
                "Entity.EntityCategory": "BRANCH" if j in branch else "GENERAL",
                "Entity.EntityStatus": "INACTIVE" if j in inactive else "ACTIVE",
                "Registration.RegistrationStatus": "LAPSED" if j in inactive else "ISSUED",
                "Registration.ValidationSources": "FULLY_CORROBORATED" if j % 3 else "ENTITY_SUPPLIED_ONLY",
            })
            writer.writerow(row.values())
    reasons: dict[int, str] = {}
    undisclosed: set[int] = set()  # subsidiaries whose parent is not disclosed: no relationship record
    for j in range(entities):
        if parent[j] < 0 and rng.random() < 0.3:
            reasons[j] = rng.choice(["NATURAL_PERSONS", "NON_CONSOLIDATING", "NO_KNOWN_PERSON"])
        elif parent[j] < 0 and rng.random() < 0.05:
            reasons[j] = "NON_PUBLIC"
            undisclosed.add(j)
        elif parent[j] >= 0 and j not in branch and rng.random() < 0.02:
            reasons[j] = rng.choice(["NON_PUBLIC", "NO_LEI"])
            undisclosed.add(j)
    relationships = 0
    with (out / "rr.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_ALL, lineterminator="\n")
        writer.writerow(RR_COLUMNS)

        def rr(child: int, up: int, kind: str, status: str = "ACTIVE", end: str = "") -> None:
            nonlocal relationships
            row = dict.fromkeys(RR_COLUMNS, "")
            row.update({
                "Relationship.StartNode.NodeID": lei(child), "Relationship.StartNode.NodeIDType": "LEI",
                "Relationship.EndNode.NodeID": lei(up), "Relationship.EndNode.NodeIDType": "LEI",
                "Relationship.RelationshipType": kind, "Relationship.RelationshipStatus": status,
                "Relationship.Period.1.startDate": f"{2010 + (child % 14 if not end else 0)}-01-01T00:00:00.000Z",
                "Relationship.Period.1.endDate": end, "Relationship.Period.1.periodType": "RELATIONSHIP_PERIOD",
                "Registration.RegistrationStatus": "PUBLISHED", "Registration.ValidationSources": "FULLY_CORROBORATED",
                "Registration.ValidationDocuments": "ACCOUNTS_FILING",
            })
            writer.writerow(row.values())
            relationships += 1

        for j in range(entities):
            if parent[j] < 0 or j in undisclosed:
                continue
            if j in branch:
                rr(j, parent[j], "IS_INTERNATIONAL_BRANCH_OF")
                continue
            rr(j, parent[j], "IS_DIRECTLY_CONSOLIDATED_BY")
            if depth[j] >= 2:
                rr(j, root_of[j], "IS_ULTIMATELY_CONSOLIDATED_BY")
            if rng.random() < 0.01:  # an earlier parent, since replaced
                rr(j, rng.randrange(entities), "IS_DIRECTLY_CONSOLIDATED_BY", "INACTIVE", "2015-12-31T00:00:00.000Z")
            if rng.random() < 0.005:
                rr(j, parent[j], "IS_FUND-MANAGED_BY")
    exceptions = 0
    with (out / "repex.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_ALL, lineterminator="\n")
        writer.writerow(REPEX_COLUMNS)
        for j, reason in sorted(reasons.items()):
            for category in ("DIRECT_ACCOUNTING_CONSOLIDATION_PARENT", "ULTIMATE_ACCOUNTING_CONSOLIDATION_PARENT"):
                row = dict.fromkeys(REPEX_COLUMNS, "")
                row.update({"LEI": lei(j), "Exception.Category": category, "Exception.Reason.1": reason,
                            "Registration.RegistrationStatus": "PUBLISHED"})
                writer.writerow(row.values())
                exceptions += 1
    statements = 0
    publication = {"publicationDate": "2026-11-30", "bodsVersion": "0.4",
                   "publisher": {"name": "sovkg synthetic benchmark"}}
    with (out / "bods.jsonl").open("w", encoding="utf-8") as handle:

        def statement(sid: str, record: str, kind: str, details: dict[str, object]) -> None:
            nonlocal statements
            handle.write(json.dumps({"statementId": sid, "declarationSubject": record, "statementDate": "2026-11-30",
                                     "recordId": record, "recordType": kind, "recordStatus": "new",
                                     "publicationDetails": publication, "recordDetails": details}) + "\n")
            statements += 1

        def entity(j: int) -> None:
            statement(f"s-e-{j}", f"e-{j}", "entity", {
                "isComponent": False, "entityType": {"type": "registeredEntity"}, "name": f"Synthetic Entity {j}",
                "jurisdiction": {"code": country[j]}, "identifiers": [{"scheme": "XI-LEI", "id": lei(j)}]})

        def holding(sid: str, owner: int, owned: int, share: float) -> None:
            statement(sid, f"r-{sid}", "relationship", {
                "isComponent": False, "subject": f"e-{owned}", "interestedParty": f"e-{owner}",
                "interests": [{"type": "shareholding", "directOrIndirect": "direct",
                               "beneficialOwnershipOrControl": False, "share": {"exact": share},
                               "startDate": "2020-01-01"}]})

        for j in range(entities):
            if rng.random() >= 0.10:
                continue
            entity(j)
            if parent[j] >= 0:
                entity(parent[j])
                holding(f"p-{j}", parent[j], j, float(rng.choice([51, 60, 75, 100])))
            if rng.random() < 0.3:  # a cross-holding with another group, sometimes both ways
                other = rng.randrange(entities)
                if root_of[other] != root_of[j]:
                    entity(other)
                    holding(f"x-{j}-{other}", other, j, float(rng.randint(10, 30)))
                    if rng.random() < 0.5:
                        holding(f"x-{other}-{j}", j, other, float(rng.randint(10, 30)))
    systems = max(200, min(2000, entities // 50))
    hosts = [rng.randrange(entities) for _ in range(systems)]
    with (out / "sheets" / "systems.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["id", "name", "controller", "data_category", "sensitive", "source"])
        for n in range(systems):
            writer.writerow([f"sys-{n}", f"Synthetic system {n}", "", "personal-health", "",
                             "https://example.org/synthetic"])
    with (out / "sheets" / "hosting.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["system", "provider", "offer", "activities", "storage_country", "remote_access_countries",
                         "valid_from", "valid_until", "source"])
        for n, host in enumerate(hosts):
            writer.writerow([f"sys-{n}", lei(host), "", "1;2;3;4;5;6", "FR", "", "", "",
                             "https://example.org/synthetic"])
    expected = {}
    for n, host in enumerate(hosts):
        chain, node = [], host
        while node >= 0:
            chain.append(node)
            node = -1 if node in undisclosed else parent[node]
        reached = set(chain) | {root_of[c] for c in chain if depth[c] >= 2 and c not in undisclosed | branch}
        if any(country[c] == "US" for c in reached):
            expected[f"sys-{n}"] = "exposed"
        elif any(c in undisclosed for c in chain):
            expected[f"sys-{n}"] = "unknown"
        else:
            expected[f"sys-{n}"] = "not exposed"
    (out / "expected.json").write_text(json.dumps({"law": "US CLOUD Act", "systems": expected}, indent=0) + "\n",
                                       encoding="utf-8")
    return {"entities": entities, "groups": len(roots), "relationships": relationships, "exceptions": exceptions,
            "bods_statements": statements, "systems": systems,
            "non_eu_roots": sum(1 for r in roots if country[r] not in EU),
            "max_depth": max(depth.values()), "exposed": sum(v == "exposed" for v in expected.values())}


_PROBE = """
import json, resource, sys, time
from sovkg.cli import main
start = time.perf_counter()
code = main(sys.argv[1:])
print(json.dumps({"code": code, "seconds": time.perf_counter() - start,
                  "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def run_import(args: list[str]) -> dict[str, float]:
    """Run ``sovkg import ARGS`` in a fresh process; its wall time and peak memory."""
    done = subprocess.run([sys.executable, "-c", _PROBE, "import", *args], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(done.stderr)
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def measure(sizes: list[int], targets: tuple[str, ...] = ("store", "nq")) -> None:
    print("| legal entities | input | target | quads | wall time (s) | peak memory (MB) |")
    print("|---:|---|---|---:|---:|---:|")
    for size in sizes:
        with tempfile.TemporaryDirectory(prefix="sovkg-gleif-") as tmp:
            folder = Path(tmp)
            counts = generate(size, folder / "data")
            gleif = [str(folder / "data" / n) for n in ("level1.csv", "rr.csv", "repex.csv")]
            for label, inputs, kind in (("GLEIF L1+RR+REPEX", gleif, "gleif"),
                                        ("BODS JSONL", [str(folder / "data" / "bods.jsonl")], "bods")):
                for target in targets:
                    dest = ["--store", str(folder / f"store-{kind}")] if target == "store" else \
                        ["--output", str(folder / f"{kind}.nq")]
                    result = run_import([kind, *inputs, *dest])
                    quads = _quads(folder, kind, target)
                    print(f"| {size:,} | {label} | {target} | {quads:,} | {result['seconds']:.1f} | "
                          f"{result['max_rss_mb']:.0f} |", flush=True)
            print(f"<!-- {size:,}: {json.dumps(counts)} -->", flush=True)


def _quads(folder: Path, kind: str, target: str) -> int:
    if target == "nq":
        with (folder / f"{kind}.nq").open("rb") as handle:
            return sum(1 for _ in handle)
    import pyoxigraph as ox

    return len(ox.Store(str(folder / f"store-{kind}")))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    g = sub.add_parser("generate", help="write the synthetic files")
    g.add_argument("--entities", type=int, required=True)
    g.add_argument("--out", type=Path, required=True)
    g.add_argument("--seed", type=int, default=7)
    m = sub.add_parser("measure", help="generate and import each size, print a Markdown table")
    m.add_argument("--entities", type=int, nargs="+", default=[10_000, 100_000])
    m.add_argument("--targets", nargs="+", choices=("store", "nq"), default=["store", "nq"])
    args = parser.parse_args()
    if args.command == "generate":
        print(json.dumps(generate(args.entities, args.out, args.seed)))
    else:
        measure(args.entities, tuple(args.targets))


if __name__ == "__main__":
    main()
