"""What registration's operations may answer besides their own result, for
shared.web.fields.documented_errors: every status comes with the JSON error
body of shared/web/api.py."""

from __future__ import annotations

from collections.abc import Callable

from shared.web.fields import documented_errors

# A JSON body may be unreadable (400), larger than MAX_CONTENT_LENGTH (413) or invalid (422).
BODY = (400, 413, 422)
# Organisers (bearer token): none or a bad one (401), a member without the role
# (403), an event that is not of the organiser's organisations, or no such one (404).
ORGANISER = (401, 403, 404)

NO_EVENT = "No event of that slug open for registration"
NO_ORGANISERS_EVENT = "No such event among the organiser's organisations"
NO_REGISTRATION = "No such event among the organiser's organisations, or no such registration in it"
NO_LINK = "No registration behind this link: unknown, malformed or erased"
TOO_LARGE = "The body is larger than 1 MiB"
TOO_MANY = "Too many requests from this client address: wait Retry-After seconds"
NOT_MANAGER = "Only an owner or organiser of the event's organisation may do this"
NOT_STAFF = "Only an owner, organiser or check-in desk of the event's organisation may do this"

DESCRIPTIONS = {"e413": TOO_LARGE, "e429": TOO_MANY}


def organiser_errors(blp, *statuses: int, **descriptions: str) -> Callable:
    """An organisers' operation: 401, 403 and 404 besides `statuses`."""
    wording = {**DESCRIPTIONS, "e403": NOT_MANAGER, "e404": NO_ORGANISERS_EVENT, **descriptions}
    return documented_errors(blp, *ORGANISER, *statuses, **wording)


def public_errors(blp, *statuses: int, **descriptions: str) -> Callable:
    """A public or secret-link operation: `statuses`, in this service's wording."""
    return documented_errors(blp, *statuses, **{**DESCRIPTIONS, **descriptions})
