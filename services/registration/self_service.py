"""What a participant does through the secret link besides cancelling:
change personal details, answers and workshop choices."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from shared.db import utcnow
from shared.errors import Conflict

from . import forms, workshops
from .links import by_token
from .models import Listing, Registration
from .publishing import publish_update
from .store.counters import GUARDED, Guards

EDITABLE = ("first_name", "last_name", "organisation", "role", "locale")


def change(
    session: Session, token: str, changes: dict, *, guards: Guards = GUARDED, now: dt.datetime | None = None
) -> Registration:
    registration = by_token(session, token, for_update=True)
    if not registration.active:
        raise Conflict(f"a {registration.status} registration cannot be changed", field="status")
    listing = session.get_one(Listing, registration.event_id)
    before = _details(registration)
    for name in EDITABLE:
        if name in changes:
            setattr(registration, name, changes[name])
    if "answers" in changes:
        _change_answers(session, registration, listing, changes["answers"] or {}, guards)
    if "workshops" in changes:  # each seat gained or lost publishes its own workshop.* event
        workshops.choose(session, registration, listing, changes["workshops"] or [], guards=guards, now=now)
    registration.updated_at = now or utcnow()
    if _details(registration) != before:  # others keep copies (a mail's language, a certificate's name)
        registration.revision += 1
        publish_update(session, registration, listing)
    return registration


def _details(registration: Registration) -> tuple:
    return tuple(getattr(registration, name) for name in EDITABLE) + (registration.answers or {},)


def _change_answers(
    session: Session, registration: Registration, listing: Listing, given: dict, guards: Guards
) -> None:
    """Merge the given answers (null clears one) and check the whole form again."""
    form = forms.snapshot(session, listing)
    active = {f.key for f in form.active_fields}
    errors = {f"answers.{key}": "no such field in this form" for key in given if key not in active}
    merged = {**{k: v for k, v in (registration.answers or {}).items() if k in active}, **given}
    answers, wanted = forms.validate_answers(form, {k: v for k, v in merged.items() if v is not None}, errors)
    if errors:
        raise forms.FormInvalid(errors)
    retired = {k: v for k, v in (registration.answers or {}).items() if k not in active}
    held = forms.held_options(form, {k: v for k, v in (registration.answers or {}).items() if k in active})
    forms.take_options(session, form, wanted, held, guards)
    registration.answers = {**retired, **answers}
