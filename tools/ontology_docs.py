"""Regenerate the ontology's HTML documentation, ``docs/ontology/index.html``, with pyLODE.

    python tools/ontology_docs.py

Needs the ``docs`` extra (``pip install 'sovkg[docs]'``). ``tests/publish/test_ontology_docs.py`` fails
when the committed page is older than the ontology.
"""

from __future__ import annotations

from pathlib import Path

from sovkg.core.files import write_file
from sovkg.publish.ontology_docs import ontology_html

TARGET = Path(__file__).resolve().parents[1] / "docs" / "ontology" / "index.html"

if __name__ == "__main__":
    write_file(TARGET, ontology_html())
    print(f"wrote {TARGET}")
