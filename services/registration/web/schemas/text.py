"""Field types for what a participant types on one line: names, organisation,
role and e-mail address. These values end up in mail headers, lists and
exports, so a line break, a tab or any other control character is refused
here (422 naming the field) instead of being cleaned later by each reader.

Bidirectional text: letters carry their own direction, so right-to-left
names need no control characters. The embedding and override controls
(U+202A to U+202E) only make a value display as something else (a name
read backwards in a list or a mail), and are refused on one-line fields;
the marks and isolates (U+200E, U+200F, U+2066 to U+2069) that real
right-to-left text uses are accepted. Free-text answers accept them too:
pages and mails escape every value, and the exports drop the overrides.

E-mail addresses: a domain in any script is accepted and stored as its
ASCII form (IDNA 2008 with the UTS 46 mapping, `xn--...`), which every mail
server can deliver to; a local part (before the @) must be ASCII, because
sending to a non-ASCII one needs SMTPUTF8, which many mail servers lack."""

from __future__ import annotations

import unicodedata

import idna
from marshmallow import ValidationError, fields, validate

BIDI_OVERRIDES = frozenset("\u202a\u202b\u202c\u202d\u202e")
LINE_BREAKING = frozenset(("Cc", "Zl", "Zp"))  # controls (C0, DEL, C1), line and paragraph separators
# The same rule for the OpenAPI document (ECMA and Python read it alike): Cc is U+0000-001F and U+007F-009F.
ONE_LINE_PATTERN = r"^[^\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e]*$"
MAX_ADDRESS = 254  # RFC 5321: a path is at most 256 octets, the angle brackets included
MAX_LOCAL_PART = 64


def one_line(value: str) -> None:
    """Refuse what does not belong on one line of visible text."""
    for char in value:
        if char in BIDI_OVERRIDES or unicodedata.category(char) in LINE_BREAKING:
            raise ValidationError(f"must be one line without control characters (U+{ord(char):04X} is not allowed)")


class SingleLine(fields.String):
    """One line of text: no line breaks, tabs, control characters or bidi overrides."""

    def __init__(self, **kwargs):
        validators = kwargs.pop("validate", None)
        given = [] if validators is None else list(validators) if isinstance(validators, list | tuple) else [validators]
        metadata = {"pattern": ONE_LINE_PATTERN, **kwargs.pop("metadata", {})}
        super().__init__(validate=[one_line, *given], metadata=metadata, **kwargs)


INVALID = "Not a valid email address."  # marshmallow's words, which the pages translate
_EMAIL = validate.Email(error=INVALID)


def ascii_address(value: str) -> str:
    """The address as it is stored and mailed: the domain in its ASCII (IDNA)
    form, lower-cased; ValidationError when it cannot be mailed."""
    value = value.strip()
    one_line(value)
    if len(value) > MAX_ADDRESS * 2 or "@" not in value:
        raise ValidationError(INVALID)
    local, domain = value.rsplit("@", 1)
    if not local.isascii():
        raise ValidationError(
            "the part before @ must use only unaccented letters, digits and . _ - +"
            " (addresses with other characters cannot be delivered everywhere)"
        )
    if len(local) > MAX_LOCAL_PART:
        raise ValidationError(f"the part before @ may have at most {MAX_LOCAL_PART} characters")
    if not domain.isascii():
        try:
            domain = idna.encode(domain, uts46=True).decode("ascii")
        except (idna.IDNAError, UnicodeError):
            raise ValidationError("the part after @ is not a valid domain name") from None
    address = f"{local}@{domain.lower()}"
    if len(address) > MAX_ADDRESS:
        raise ValidationError(f"at most {MAX_ADDRESS} characters")
    _EMAIL(address)
    return address


class Address(fields.String):
    """An e-mail address that can be delivered, loaded as its ASCII form (see the module)."""

    def __init__(self, **kwargs):
        metadata = {"format": "email", **kwargs.pop("metadata", {})}
        super().__init__(metadata=metadata, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        return ascii_address(super()._deserialize(value, attr, data, **kwargs))
