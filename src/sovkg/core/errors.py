"""Errors raised by sovkg.

Every error a user can cause (a malformed file, an unknown query or entity, a file that does not
exist) is a :class:`SovkgInputError`; the CLI turns it into a message on stderr and exit code 2.

>>> raise SovkgInputError("data/x.ttl:3: bad syntax")
Traceback (most recent call last):
...
sovkg.core.errors.SovkgInputError: data/x.ttl:3: bad syntax
"""

from __future__ import annotations


class SovkgError(Exception):
    """Base class of every sovkg error."""


class SovkgInputError(SovkgError):
    """Bad input: the message names the file and line (or the unknown name). Exit code 2."""


class UnknownQueryError(SovkgInputError):
    """A query name or file that does not exist."""


class UnknownEntityError(SovkgInputError):
    """An entity (system, organisation, law) that is not in the graph."""


class ReasonerInconsistencyError(SovkgError):
    """The OWL RL reasoner found the graph inconsistent."""
