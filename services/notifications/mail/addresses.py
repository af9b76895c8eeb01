"""E-mail addresses as SMTP and mail headers can carry them: ASCII only,
with a domain in any script written in its IDNA form (`xn--...`). A local
part (before the @) that is not ASCII would need SMTPUTF8, which many relays
lack, so such an address is undeliverable here: the mail is recorded as
failed with that reason (outgoing.delivery_row) instead of raising in the
consumer or a periodic job, where it would be retried until parked."""

from __future__ import annotations

import unicodedata

import idna


class UndeliverableAddress(ValueError):
    """An address no mail can be composed for; the message says why."""


def smtp_address(address: str) -> str:
    """`address` as it goes into RCPT TO and the To header, or UndeliverableAddress."""
    value = address.strip()
    if any(unicodedata.category(char) in ("Cc", "Zl", "Zp") for char in value):
        raise UndeliverableAddress("undeliverable address: it contains control characters or line breaks")
    local, at, domain = value.rpartition("@")
    if not at or not local or not domain:
        raise UndeliverableAddress("undeliverable address: it has no local part and domain")
    if not local.isascii():
        raise UndeliverableAddress(
            "undeliverable address: the part before @ is not ASCII, which needs SMTPUTF8 (not used)"
        )
    if not domain.isascii():
        try:
            domain = idna.encode(domain, uts46=True).decode("ascii")
        except (idna.IDNAError, UnicodeError) as exc:
            raise UndeliverableAddress(f"undeliverable address: the domain is not a valid IDNA name ({exc})") from None
    return f"{local}@{domain}"
