"""Ask (stage 4): questions on a checked knowledge graph — the competency questions (``.rq``
files), ``explain``, ``alternatives`` and the ``diff`` of two reports.

Takes a knowledge graph; gives rows and dataclasses. Imports check and below.
"""
