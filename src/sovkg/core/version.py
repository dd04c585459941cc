"""The version of sovkg (one place: the package, the cache keys and the CLI read it here)."""

__version__ = "0.1.0"
