"""``sovkg explain --lang fr``: the same explanation in French, labels from the graph's ``@fr`` labels,
words from the message catalogue; English stays the default and the JSON keeps English labels."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sovkg import api
from sovkg.ask.explain import explain
from sovkg.core.errors import SovkgInputError
from sovkg.derive.knowledge_graph import KnowledgeGraph, build

ROOT = Path(__file__).resolve().parents[2]
CHAIN = ROOT / "tests" / "fixtures" / "derive" / "chain.ttl"


@pytest.fixture(scope="module")
def chain() -> KnowledgeGraph:
    return build([CHAIN], include_case=False, include_reference=False, as_of=dt.date(2026, 11, 29))


def test_explain_in_french(chain: KnowledgeGraph) -> None:
    lines = explain(chain, "Sub Ltd", lang="fr").text.splitlines()
    assert lines[0] == "Sub Ltd (organisation) <https://w3id.org/sovkg/id/org/sub> — au 2026-11-29"
    for line in [
        "  siège statutaire: Country B (fictional, user-assigned code XB)",
        "Contrôlé par :",
        "  • Holding Ltd — 100.0 % du capital — contrôle",
        "    • Parent Inc. — part inconnue — contrôle",
        "Détention effective (directe et par chaînes de participations) :",
        "  • Parent Inc. — 0–100 % du capital (inclut des parts inconnues)",
        "Lois d’accès qui s’y appliquent :",
        "  • X Act: elle est contrôlée par Parent Inc., à qui la loi s’applique.",
        "  • Platform est exposé à X Act au niveau contrôle :",
        "      hébergé par Sub Ltd [confiance : élevé] — sources [1]",
        "      contrôlé par Parent Inc. [confiance : moyen] — sources [1]",
        "      assujetti à (contrôle par une entité assujettie) X Act — sources [1]",
        "Règles : aucune violation ni aucun avertissement ne la concerne.",
    ]:
        assert line in lines, line


def test_explain_uses_french_labels_of_the_graph(case: KnowledgeGraph) -> None:
    text = explain(case, "kg:system/health-data-hub", lang="fr").text
    assert text.startswith("Plateforme des données de santé (système) ")
    assert "  • Plateforme des données de santé est exposé à CLOUD Act américain (18 U.S.C. § 2713) au niveau contrôle :" \
        in text


def test_english_is_the_default_and_json_keeps_english_labels(chain: KnowledgeGraph) -> None:
    english, french = explain(chain, "Platform"), explain(chain, "Platform", lang="fr")
    assert english.text == explain(chain, "Platform", lang="en").text
    assert "Platform is exposed to X Act at level control:" in english.text
    assert english.data == french.data


def test_unknown_language_is_refused(chain: KnowledgeGraph) -> None:
    with pytest.raises(SovkgInputError, match="--lang 'de': choose one of en, fr"):
        explain(chain, "Platform", lang="de")


def test_api_and_cli_take_the_language(chain: KnowledgeGraph, tmp_path: Path) -> None:
    assert api.explain("Platform", chain, lang="fr").text.splitlines()[0].endswith("— au 2026-11-29")
    env = {**os.environ, "SOVKG_CACHE_DIR": str(tmp_path)}
    run = subprocess.run([sys.executable, "-m", "sovkg", "explain", "Platform", "--lang", "fr", "--no-case",
                          "--data", str(CHAIN), "--at", "2026-11-29"],
                         capture_output=True, text=True, cwd=ROOT, env=env, timeout=300, check=False)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[0] == "Platform (système) <https://w3id.org/sovkg/id/system/platform> — au 2026-11-29"
