"""One exception family for the whole package.

Every error a user can cause is an :class:`ExportCheckError` whose message says what was wrong
and what to do; the CLI turns them into a one-line message and exit code 2 (3 for an audited
refusal), the REST API into problem+json. Anything else escaping is a bug.
"""

from __future__ import annotations

#: exit status of a CLI command the ledger refused (a shipment, a reversal, a reused key)
REFUSED = 3


class ExportCheckError(Exception):
    """Base class: a problem with the user's input or data, not a bug."""

    #: short machine-readable code, used by the REST API
    code = "error"
    #: the CLI's exit status: 2 for bad input; :data:`REFUSED` for a request the ledger
    #: refused by a rule and audited, so a script tells a typo from a refusal
    exit_code = 2

    def __init__(self, *args: object, field: str | None = None) -> None:
        super().__init__(*args)
        #: the input the error is about ("from_date", "licence_number"), when one is: forms
        #: show the message under that box without reading the message's words
        self.field = field


class InvalidInput(ExportCheckError, ValueError):
    code = "invalid_input"


class UnknownItem(InvalidInput):
    """The classification is well-formed but names no ECCN / USML category we know."""

    code = "unknown_item"


class MalformedItem(InvalidInput):
    code = "malformed_item"


class UnknownDestination(InvalidInput):
    code = "unknown_destination"


class DateOutOfRange(InvalidInput):
    code = "date_out_of_range"


class RuleDataError(ExportCheckError):
    """The bundled or user-supplied rule files are inconsistent (missing citation, bad date...)."""

    code = "rule_data"


class ListDataError(ExportCheckError):
    """A restricted-party list file could not be read or would corrupt the stored lists."""

    code = "list_data"


class LedgerError(ExportCheckError):
    """A licence or shipment operation was refused; the message names the rule."""

    code = "ledger"


class NotFound(ExportCheckError):
    code = "not_found"


class NotAuthenticated(ExportCheckError):
    """No credentials, or credentials that do not identify an active user."""

    code = "unauthenticated"


class PermissionDenied(ExportCheckError):
    """The user is known but their role does not allow this."""

    code = "forbidden"


class RateLimited(ExportCheckError):
    """Too many attempts (failed logins); ``retry_after`` seconds until the next one."""

    code = "rate_limited"

    def __init__(self, message: str, retry_after: int = 0) -> None:
        super().__init__(message)  # a default: unpickling calls the class with the message
        self.retry_after = retry_after


class Conflict(ExportCheckError):
    """The request is valid but the service's state does not allow it now (HTTP 409), e.g.
    a disposition while screening uses the bundled sample lists."""

    code = "conflict"
