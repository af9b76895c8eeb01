"""The English catalogue of the web pages: Italian text -> English text, one
module per area. tests/unit/test_web_i18n.py checks that every `_()` string
of the templates and page modules has its translation."""

from __future__ import annotations

from . import en_common, en_forms, en_notifications, en_registration, en_scheduling

ENGLISH: dict[str, str] = {
    **en_common.EN,
    **en_forms.EN,
    **en_scheduling.EN,
    **en_registration.EN,
    **en_notifications.EN,
}
