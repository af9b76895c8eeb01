"""What the HTTP layer shows of notifications' objects: a stored mail taken
apart for the mail pages, and an agenda feed's links as the API returns them."""

from __future__ import annotations

from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import cast

from ..calendar import feed_tokens
from ..config import NotifyConfig

CALENDAR = "text/calendar"


def leaves(raw: bytes) -> tuple[EmailMessage, list[EmailMessage]]:
    """The parsed message and its non-multipart parts, in order."""
    message = cast(EmailMessage, message_from_bytes(raw, policy=policy.default))
    return message, [part for part in message.walk() if not part.is_multipart()]


def mail_view(raw: bytes) -> dict:
    """A mail as the mail pages show it: headers, text, HTML, the first
    calendar and the parts to download (all but the text and HTML bodies)."""
    message, parts = leaves(raw)
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    downloads = [
        {
            "index": n,
            "type": part.get_content_type(),
            "method": part.get_param("method"),
            "filename": part.get_filename(),
            "calendar": part.get_content_type() == CALENDAR,
            "size": len(part.get_payload(decode=True) or b""),
        }
        for n, part in enumerate(parts)
        if part.get_content_type() not in ("text/plain", "text/html")
    ]
    calendars = [part.get_content() for part in parts if part.get_content_type() == CALENDAR]
    return {
        "message": message,
        "text": text.get_content() if text else "",
        "html": html.get_content() if html else None,
        "parts": downloads,
        "calendar": calendars[0] if calendars else None,
    }


def feed_out(config: NotifyConfig, token: str) -> dict:
    """An agenda feed's addresses, shaped like schemas.FeedOut."""
    links = feed_tokens.feed_links(config, token)
    return {"url": links["https"], "webcal_url": links["webcal"], "google_url": links["google"], "token": token}
