"""Core: what every stage shares and nothing else — errors, namespaces, bundled resources, dates,
user-typed terms, the on-disk cache folder and the version.

Takes nothing from other sovkg packages; gives small helpers to all of them.
"""
