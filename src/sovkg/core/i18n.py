"""The message catalogue: the few interface strings sovkg shows people, in English and French.

Terms of the graph (laws, classes, properties, systems) are not here: they speak the language of the
labels the graph carries (``rdfs:label "…"@fr``). This catalogue holds only the words around them
(headings, column names, exposure levels, relations on an evidence path). It sits in ``core`` so that
every stage that talks to people (``ask.explain``, the ``publish`` report, pages and diagrams) shares it.

>>> message("summary", "fr")
'Synthèse'
>>> message("as_of", "en", date="2026-11-29")
'as of 2026-11-29'
>>> message("level.control", "fr")
'contrôle'
>>> check_lang("de")
Traceback (most recent call last):
...
sovkg.core.errors.SovkgInputError: --lang 'de': choose one of en, fr
"""

from __future__ import annotations

from sovkg.core.errors import SovkgInputError

LANGS: tuple[str, ...] = ("en", "fr")
"""The languages sovkg speaks; the first is the default."""

MESSAGES: dict[str, tuple[str, str]] = {
    # report
    "report_title": (
        "Exposure of sensitive data to foreign access laws",
        "Exposition de données sensibles aux lois d’accès étrangères",
    ),
    "as_of": ("as of {date}", "au {date}"),
    "scope_case": ("French health-data case", "cas des données de santé françaises"),
    "scope_no_case": ("without the French case", "sans le cas français"),
    "summary": ("Summary", "Synthèse"),
    "summary_text": (
        "{exposed} of {systems} information systems are exposed to at least one foreign access law and "
        "{unknown} more cannot be ruled out; {violations} compliance violations and {warnings} compliance "
        "warnings (one per system, rule and cause).",
        "{exposed} systèmes d’information sur {systems} sont exposés à au moins une loi d’accès étrangère et "
        "{unknown} autres ne peuvent être écartés ; {violations} violations et {warnings} avertissements de "
        "conformité (un par système, règle et cause).",
    ),
    "graph_counts": (
        "Graph: {asserted} asserted triples from {files} files, {derived} derived; {sources} sources; "
        "{organisations} organisations, {systems} systems, {laws} access laws.",
        "Graphe : {asserted} triplets déclarés issus de {files} fichiers, {derived} dérivés ; {sources} sources ; "
        "{organisations} organisations, {systems} systèmes, {laws} lois d’accès.",
    ),
    "matrix": ("Systems × laws", "Systèmes × lois"),
    "matrix_note": (
        "Strongest exposure level of each system to each access law; “–” means no exposure found.",
        "Niveau d’exposition le plus fort de chaque système à chaque loi d’accès ; « – » : aucune exposition trouvée.",
    ),
    "system": ("System", "Système"),
    "law": ("Law", "Loi"),
    "level": ("Level", "Niveau"),
    "illustrative": ("illustrative", "illustratif"),
    "laws_without_findings": (
        "Access laws in effect that expose no system",
        "Lois d’accès en vigueur qui n’exposent aucun système",
    ),
    "findings": ("Exposure findings", "Constats d’exposition"),
    "no_findings": (
        "No system is exposed to a foreign access law.",
        "Aucun système n’est exposé à une loi d’accès étrangère.",
    ),
    "finding_title": ("{system} — {law}", "{system} — {law}"),
    "finding_text": (
        "{system} is exposed to {law} at level “{level}”.",
        "{system} est exposé à {law} au niveau « {level} ».",
    ),
    "finding_unknown_text": (
        "{system}: exposure to {law} can be neither confirmed nor ruled out (level “{level}” if confirmed).",
        "{system} : l’exposition à {law} ne peut être ni confirmée ni écartée (niveau « {level} » si elle l’est).",
    ),
    "finding_gap": ("Missing fact", "Fait manquant"),
    "path": ("Path", "Chemin"),
    "evidence": ("Evidence", "Preuves"),
    "step": ("Step", "Étape"),
    "relation": ("Relation", "Relation"),
    "confidence": ("Confidence", "Confiance"),
    "sources": ("Sources", "Sources"),
    "no_source": ("no source recorded", "aucune source enregistrée"),
    "rules": ("Rules", "Règles"),
    "rules_note": (
        "Compliance findings, one per system, rule and cause. A violation rests on recorded facts; a warning "
        "says compliance cannot be confirmed and names the missing fact.",
        "Constats de conformité, un par système, règle et cause. Une violation repose sur des faits enregistrés ; "
        "un avertissement signale une conformité impossible à confirmer et nomme le fait manquant.",
    ),
    "violations": ("Violations", "Violations"),
    "no_violations": ("No rule is violated.", "Aucune règle n’est violée."),
    "warnings": ("Warnings", "Avertissements"),
    "no_warnings": ("No warning.", "Aucun avertissement."),
    "data_quality_notes": (
        "Data-quality notes (sources, seats, dates): {count}; list them with",
        "Notes de qualité des données (sources, sièges, dates) : {count} ; pour les lister :",
    ),
    "reference_notes_hidden": (
        "{count} more about the bundled reference data: add --reference-notes",
        "{count} de plus sur les données de référence fournies : ajouter --reference-notes",
    ),
    "requirement": ("Requirement", "Exigence"),
    "count": ("Count", "Nombre"),
    "focus": ("Concerns", "Concerne"),
    "message": ("Message", "Message"),
    "severity.Violation": ("violation", "violation"),
    "severity.Warning": ("warning", "avertissement"),
    "severity.Info": ("note", "note"),
    "all_sources": ("Sources cited", "Sources citées"),
    "publisher": ("Publisher", "Éditeur"),
    "date": ("Date", "Date"),
    "title": ("Title", "Titre"),
    "generated_by": (
        "Generated by sovkg {version} on the graph as of {date}.",
        "Produit par sovkg {version} sur le graphe au {date}.",
    ),
    "diagram": ("Ownership and exposure chain", "Chaîne de détention et d’exposition"),
    "diagram_unavailable": (
        "(diagram not drawn: Graphviz's dot is not installed)",
        "(diagramme non dessiné : le programme dot de Graphviz n’est pas installé)",
    ),
    "contents": ("Contents", "Sommaire"),
    # levels (DESIGN.md §3), strongest first
    "level.direct": ("direct", "directe"),
    "level.control": ("control", "contrôle"),
    "level.subcontractor": ("subcontractor", "sous-traitant"),
    "level.technology": ("technology", "technologie"),
    "level.influence": ("influence", "influence"),
    "level.group-presence": ("group-presence", "présence du groupe"),
    "level.flow": ("flow", "flux"),
    "level.unknown": ("unknown", "inconnu"),
    # relations on an evidence path (the derivation writes them in English)
    "relation.hosted by": ("hosted by", "hébergé par"),
    "relation.controlled by": ("controlled by", "contrôlé par"),
    "relation.subcontracts to (with technical access to the data)": (
        "subcontracts to (with technical access to the data)",
        "sous-traite à (avec un accès technique aux données)",
    ),
    "relation.runs on the technology of (with a technical path to the data)": (
        "runs on the technology of (with a technical path to the data)",
        "fonctionne sur la technologie de (avec un chemin technique vers les données)",
    ),
    "relation.bound by": ("bound by", "assujetti à"),
    "relation.its data flows through": ("its data flows through", "ses données passent par"),
    "relation.into": ("into", "vers"),
    "relation.cannot be ruled out: owners not recorded": (
        "cannot be ruled out: owners not recorded",
        "ne peut être exclu : détenteurs non enregistrés",
    ),
    # diagram
    "diagram_title": ("{label} — ownership and exposure, as of {date}", "{label} — détention et exposition, au {date}"),
    "stake_unknown": ("share unknown", "part inconnue"),
    "capital": ("capital", "capital"),
    "votes": ("votes", "votes"),
    "controls": ("controls", "contrôle"),
    "hosts": ("hosts", "héberge"),
    "subcontractor": ("subcontractor", "sous-traitant"),
    "technology": ("technology supplier", "fournisseur de technologie"),
    "right.majority": ("majority of votes", "majorité des votes"),
    "right.control": ("control right", "droit de contrôle"),
    "right.veto": ("veto right", "droit de veto"),
    "right.board": ("appoints the board majority", "nomme la majorité du conseil"),
    "right.joint": ("joint control", "contrôle conjoint"),
    "binds": ("binds", "s’applique à"),
    "binds_by_control": ("binds (by control)", "s’applique à (par le contrôle)"),
    "binds_by_service": ("binds (services offered there)", "s’applique à (services offerts sur place)"),
    "jurisdiction_unknown": ("seat unknown", "siège inconnu"),
    "legend": ("Legend", "Légende"),
    # entity pages and site
    "entity": ("Entity", "Entité"),
    "types": ("Types", "Types"),
    "iri": ("IRI", "IRI"),
    "other_formats": ("Other formats", "Autres formats"),
    "outgoing": ("Statements about it", "Ce que le graphe en dit"),
    "incoming": ("Statements that point to it", "Ce qui pointe vers elle"),
    "property": ("Property", "Propriété"),
    "value": ("Value", "Valeur"),
    "subject": ("Subject", "Sujet"),
    "validity": ("Validity", "Validité"),
    "valid_from": ("valid from", "valable à partir du"),
    "valid_until": ("valid until", "valable jusqu’au"),
    "in_effect": ("in effect as of {date}", "en vigueur au {date}"),
    "not_in_effect": ("not in effect as of {date}", "pas en vigueur au {date}"),
    "no_dates": ("no validity dates recorded", "aucune date de validité enregistrée"),
    "derived": ("derived", "dérivé"),
    "none": ("none", "aucun"),
    "index_title": ("sovkg: linked data", "sovkg : données liées"),
    "index_intro": (
        "Every entity the graph mints, one page each, as of {date}.",
        "Chaque entité que le graphe définit, une page par entité, au {date}.",
    ),
    "entities": ("{count} entities", "{count} entités"),
    "report_link": ("Report", "Rapport"),
    "more": ("and {count} more", "et {count} autres"),
    "related": ("Related facts", "Faits liés"),
    "graph_triples": ("This named graph holds {count} triples.", "Ce graphe nommé contient {count} triplets."),
    "sparql_endpoint": ("SPARQL endpoint", "Point d’accès SPARQL"),
    "dataset_description": ("Dataset (VoID)", "Jeu de données (VoID)"),
    # explain (the English strings are exactly those of the text output before French came)
    "explain.header": ("{label} ({kind}) <{iri}> — as of {date}", "{label} ({kind}) <{iri}> — au {date}"),
    "explain.kind.system": ("system", "système"),
    "explain.kind.law": ("law", "loi"),
    "explain.kind.organisation": ("organisation", "organisation"),
    "explain.kind.resource": ("resource", "ressource"),
    "explain.registered_office": ("registered office", "siège statutaire"),
    "explain.central_administration": ("central administration", "administration centrale"),
    "explain.principal_establishment": ("principal establishment", "établissement principal"),
    "explain.resident_in": ("resident in", "résident en"),
    "explain.controller": ("controller", "responsable de traitement"),
    "explain.holds": ("holds", "contient"),
    "explain.sensitive": ("particularly sensitive data (loi SREN art. 31)",
                          "données d’une sensibilité particulière (loi SREN art. 31)"),
    "explain.hosted_by": ("hosted by {provider} ({state}{period})", "hébergé par {provider} ({state}{period})"),
    "explain.in_effect": ("in effect", "en vigueur"),
    "explain.planned": ("planned", "prévu"),
    "explain.not_in_effect": ("not in effect", "pas en vigueur"),
    "explain.open": ("open", "sans fin"),
    "explain.source": ("source", "source"),
    "explain.confidence": (" [{confidence} confidence]", " [confiance : {confidence}]"),
    "explain.controlled_by": ("Controlled by:", "Contrôlé par :"),
    "explain.controlled_by_none": ("Controlled by: no controlling holder recorded.",
                                   "Contrôlé par : aucun détenteur qui contrôle n’est enregistré."),
    "explain.stake_not_in_effect": (" (not in effect)", " (pas en vigueur)"),
    "explain.of_capital": ("of capital", "du capital"),
    "explain.of_votes": ("of votes", "des votes"),
    "explain.controls": (" — controls", " — contrôle"),
    "explain.laws": ("Access laws that bind it:", "Lois d’accès qui s’y appliquent :"),
    "explain.laws_none": ("Access laws that bind it: none found.", "Lois d’accès qui s’y appliquent : aucune trouvée."),
    "explain.why.establishment": ("it is seated in the law's jurisdiction",
                                  "son siège est dans le ressort de la loi"),
    "explain.why.service": ("it offers services to persons in the law's jurisdiction",
                            "elle offre des services à des personnes dans le ressort de la loi"),
    "explain.why.control": ("it is controlled by {via}, which the law binds",
                            "elle est contrôlée par {via}, à qui la loi s’applique"),
    "explain.findings": ("Exposure findings (sources numbered below, each listed once):",
                         "Constats d’exposition (sources numérotées plus bas, chacune une fois) :"),
    "explain.source_refs": (" — sources {numbers}", " — sources {numbers}"),
    "explain.finding_sources": ("Sources of the findings:", "Sources des constats :"),
    "explain.findings_none": ("Exposure findings: none.", "Constats d’exposition : aucun."),
    "explain.finding": ("  • {system} is exposed to {law} at level {level}:",
                        "  • {system} est exposé à {law} au niveau {level} :"),
    "explain.finding_unknown": ("  • {system}: exposure to {law} is unknown (level {level} if confirmed): {gap}:",
                                "  • {system} : l’exposition à {law} est inconnue (niveau {level} si elle est "
                                "confirmée) : {gap} :"),
    "explain.rules": ("Rules:", "Règles :"),
    "explain.events": ("Events:", "Événements :"),
    "explain.date_unknown": ("date unknown", "date inconnue"),
    "explain.rules_none": ("Rules: no violation or warning concerns it.",
                           "Règles : aucune violation ni aucun avertissement ne la concerne."),
    "explain.no_requirement": ("(no requirement)", "(aucune exigence)"),
    # effective ownership (sovkg explain)
    "ownership.none": ("Effective ownership: none derived (no stake held in it is in effect).",
                       "Détention effective : aucune dérivée (aucune participation en vigueur)."),
    "ownership.title": ("Effective ownership (direct and through chains of stakes):",
                        "Détention effective (directe et par chaînes de participations) :"),
    "ownership.itself": ("{name} itself (circular holding)", "{name} elle-même (détention circulaire)"),
    "ownership.share_unknown": ("share unknown", "part inconnue"),
    "ownership.round": ("from going round the cross-holdings", "par le tour des participations croisées"),
    "ownership.more": ("  … and {count} more (sov:EffectiveOwnership nodes in SPARQL)",
                       "  … et {count} autres (nœuds sov:EffectiveOwnership en SPARQL)"),
    "ownership.by_jurisdiction": (
        "By the holders' jurisdiction (each holder counted once, through holders outside the group):",
        "Par juridiction des détenteurs (chaque détenteur compté une fois, par les détenteurs hors du groupe) :"),
    "ownership.of_capital": ("of the capital", "du capital"),
    "ownership.of_votes": ("of the voting rights", "des droits de vote"),
    "ownership.includes_unknown": (" (includes shares that are not known)", " (inclut des parts inconnues)"),
}
"""Message key → (English, French) format strings."""


def check_lang(lang: str) -> str:
    """Return ``lang`` if sovkg speaks it, else raise :class:`SovkgInputError`."""
    if lang not in LANGS:
        raise SovkgInputError(f"--lang {lang!r}: choose one of {', '.join(LANGS)}")
    return lang


def message(key: str, lang: str = "en", **values: object) -> str:
    """The message ``key`` in ``lang``, formatted with ``values``; an unknown key raises ``KeyError``."""
    text = MESSAGES[key][LANGS.index(check_lang(lang))]
    return text.format(**values) if values else text


def relation(text: str | None, lang: str = "en") -> str:
    """A relation written by the derivation (``"hosted by"``), in ``lang`` when the catalogue knows it.

    >>> relation("controlled by", "fr"), relation("something new", "fr")
    ('contrôlé par', 'something new')
    """
    if not text:
        return ""
    entry = MESSAGES.get(f"relation.{text}")
    return text if entry is None else entry[LANGS.index(check_lang(lang))]


def level(name: str, lang: str = "en") -> str:
    """An exposure level's name in ``lang`` (``"control"`` → ``"contrôle"``)."""
    entry = MESSAGES.get(f"level.{name}")
    return name if entry is None else entry[LANGS.index(check_lang(lang))]
