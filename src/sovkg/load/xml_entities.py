"""Refuse RDF/XML whose entity declarations would expand without bound, or read another file.

Takes the text of an RDF/XML file and gives nothing (the file is safe to hand to the parser) or a
:class:`SovkgInputError` naming the file and line, before the parser sees it. Oxigraph's RDF/XML
parser expands internal entities; one kilobyte of nested declarations (the "billion laughs")
expands to gigabytes. Internal entities stay allowed within bounds, because ontology editors write
``<!ENTITY owl "http://www.w3.org/2002/07/owl#">`` to shorten IRIs:

- an entity may expand to at most :data:`MAX_ENTITY_CHARS` characters, and all the references of
  the document together to at most :data:`MAX_DOCUMENT_CHARS`;
- an entity that refers to itself, a parameter entity (``<!ENTITY % …>``) and an external entity
  (``SYSTEM`` / ``PUBLIC``: sovkg never reads another file or the network) are refused.

>>> check_entities(Path("x.rdf"), '<!DOCTYPE rdf:RDF [<!ENTITY owl "http://www.w3.org/2002/07/owl#">]><a b="&owl;x"/>')
>>> laughs = '<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">' + "".join(
...     f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(7)) + ']><r>&h;</r>'
>>> check_entities(Path("x.rdf"), laughs)  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
sovkg.core.errors.SovkgInputError: x.rdf:1: the XML entity 'e' expands to 20000 characters or more ...
"""

from __future__ import annotations

import re
from pathlib import Path

from sovkg.core.errors import SovkgInputError

MAX_ENTITY_CHARS = 10_000
"""The longest text one entity may expand to."""

MAX_DOCUMENT_CHARS = 10_000_000
"""The most text all entity references of a document may expand to together."""

_PREDEFINED = {"lt": 1, "gt": 1, "amp": 1, "apos": 1, "quot": 1}
_DECLARATION = re.compile(
    r"""<!ENTITY\s+(?P<parameter>%\s+)?(?P<name>[^\s"'>]+)\s+"""
    r"""(?:"(?P<double>[^"]*)"|'(?P<single>[^']*)'|(?P<external>SYSTEM|PUBLIC)\b[^>]*)\s*>""")
_REFERENCE = re.compile(r"&([A-Za-z_:][\w.:-]*);")
_SUBSET = re.compile(r"<!DOCTYPE[^\[>]*\[(?P<subset>.*?)\]\s*>", re.DOTALL)


def _line(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


def check_entities(path: Path, text: str) -> None:
    """Raise :class:`SovkgInputError` (``path:line: …``) when the DOCTYPE's entities are unsafe to expand."""
    if "<!ENTITY" not in text:
        return
    subset = _SUBSET.search(text)
    start = subset.start("subset") if subset else text.index("<!ENTITY")
    end = subset.end() if subset else len(text)
    body = subset.group("subset") if subset else text[start:]
    values: dict[str, tuple[str, int]] = {}
    declared = 0
    for match in _DECLARATION.finditer(body):
        declared += 1
        line = _line(text, start + match.start())
        name = match.group("name")
        if match.group("parameter"):
            raise SovkgInputError(f"{path}:{line}: the XML parameter entity {name!r} is refused "
                                  "(sovkg reads no DTD beyond short internal entities)")
        if match.group("external"):
            raise SovkgInputError(f"{path}:{line}: the XML entity {name!r} refers to an external file or address, "
                                  "which sovkg never reads")
        value = match.group("double") if match.group("double") is not None else match.group("single")
        values.setdefault(name, (value or "", line))
    if declared != body.count("<!ENTITY"):
        line = _line(text, start + body.index("<!ENTITY"))
        raise SovkgInputError(f"{path}:{line}: an XML entity declaration sovkg cannot check; "
                              "only <!ENTITY name \"text\"> is allowed")
    sizes: dict[str, int] = {}

    def size(name: str, seen: tuple[str, ...]) -> int:
        if name in _PREDEFINED or name not in values:
            return 1
        if name in seen:
            raise SovkgInputError(f"{path}:{values[name][1]}: the XML entity {name!r} refers to itself")
        if name not in sizes:
            value, line = values[name]
            total = len(_REFERENCE.sub("", value))
            for reference in _REFERENCE.findall(value):
                total += size(reference, (*seen, name))
                if total > MAX_ENTITY_CHARS:
                    raise SovkgInputError(
                        f"{path}:{line}: the XML entity {name!r} expands to {total} characters or more "
                        f"(at most {MAX_ENTITY_CHARS} allowed: nested entities can exhaust memory, "
                        "the \"billion laughs\")")
            sizes[name] = total
        return sizes[name]

    for name in values:
        size(name, ())
    document = sum(size(name, ()) for name in _REFERENCE.findall(text, end))
    if document > MAX_DOCUMENT_CHARS:
        raise SovkgInputError(f"{path}: its XML entity references expand to {document} characters "
                              f"(at most {MAX_DOCUMENT_CHARS} allowed)")


def check_file(path: Path) -> None:
    """Read an RDF/XML file's start and check its entities (:func:`check_entities`); unreadable files pass."""
    try:
        raw = path.read_bytes()
    except OSError:
        return  # the parser reports it
    if b"<!ENTITY" not in raw and b"<\x00!\x00E\x00N" not in raw and b"\x00<\x00!\x00E\x00N" not in raw:
        return
    encoding = "utf-16" if raw.startswith((b"\xff\xfe", b"\xfe\xff")) else "utf-8"
    check_entities(path, raw.decode(encoding, errors="replace"))
