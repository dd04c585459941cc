"""Core: what every stage shares and nothing else — errors, namespaces, bundled resources, dates,
user-typed terms, the on-disk cache folder, the version and the message catalogue (English, French).

Takes nothing from other sovkg packages; gives small helpers to all of them.
"""
