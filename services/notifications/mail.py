"""MIME composition (RFC 6047 iMIP): multipart/mixed containing
multipart/alternative (text, HTML, text/calendar; method=...) and an .ics
attachment. The calendar is passed as bytes so its CRLF line ends survive."""

from __future__ import annotations

from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr

from shared.db import utcnow


def compose(*, sender: str, recipient: str, recipient_name: str, subject: str, text: str, html: str,
            calendar: bytes | None = None, method: str | None = None, language: str = "it") -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = Address(display_name=recipient_name, addr_spec=recipient)
    message["Subject"] = subject
    message["Date"] = format_datetime(utcnow())
    message["Message-ID"] = make_msgid(domain=parseaddr(sender)[1].split("@")[-1] or "eventi.localhost")
    message["Auto-Submitted"] = "auto-generated"
    # quoted-printable keeps every line under SMTP's 998-octet limit
    message.set_content(text, charset="utf-8", cte="quoted-printable")
    message.add_alternative(html, subtype="html", charset="utf-8", cte="quoted-printable")
    if calendar is not None:
        message.add_alternative(calendar, maintype="text", subtype="calendar", cte="base64",
                                params={"method": method, "charset": "utf-8"})
        message.make_mixed()
        message.add_attachment(calendar, maintype="application", subtype="ics",
                               filename="invito.ics" if language == "it" else "invite.ics")
    # Set last: set_content() clears every Content-* header of the message, so a
    # Content-Language set before the body was silently dropped (found by the e2e test).
    message["Content-Language"] = language
    return message
