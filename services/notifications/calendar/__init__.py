"""Calendars: iTIP invitations for one attendee and the private agenda feed
(its content, its bytes and its tokens)."""
