"""The registration form of an event as one immutable snapshot (cached per
form revision, so a registration costs no extra query for it), the validation
of a participant's answers against it, and the choice-option limits."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.errors import Conflict, Unprocessable

from .answers import normalise
from .models import Category, FieldOption, FormField, Listing, Registration
from .store.cache import PerDatabase
from .store.counters import GUARDED, Guards, release_quota
from .store.event_read import ListingAtGate

# A consent names the notice the person read; one read before a new version is not given to the new one.
NOTICE_CHANGED = "the privacy notice has a new version: read it and consent again"


class FormInvalid(Unprocessable):
    """Some answers do not fit the form; `errors` names each field."""

    def __init__(self, errors: dict[str, str]):
        first = next(iter(errors))
        super().__init__(errors[first], field=first)
        self.errors = errors


class OptionFull(Conflict):
    """A chosen option has reached its limit."""


@dataclass(frozen=True)
class OptionSpec:
    id: int
    key: str
    label_it: str
    label_en: str | None
    limit: int | None
    retired: bool


@dataclass(frozen=True)
class FieldSpec:
    id: int
    key: str
    kind: str
    label_it: str
    label_en: str | None
    required: bool
    max_length: int | None
    min_value: float | None
    max_value: float | None
    retired: bool
    options: tuple[OptionSpec, ...]

    def option(self, key: str) -> OptionSpec | None:
        return next((o for o in self.options if o.key == key and not o.retired), None)


@dataclass(frozen=True)
class CategorySpec:
    id: int
    code: str
    label_it: str
    label_en: str | None
    quota: int | None


@dataclass(frozen=True)
class FormSnapshot:
    revision: int
    fields: tuple[FieldSpec, ...]
    categories: tuple[CategorySpec, ...]

    @property
    def active_fields(self) -> tuple[FieldSpec, ...]:
        return tuple(f for f in self.fields if not f.retired)

    def category(self, code: str) -> CategorySpec | None:
        return next((c for c in self.categories if c.code == code), None)

    def option_field(self, option_id: int) -> FieldSpec:
        return next(f for f in self.fields if any(o.id == option_id for o in f.options))


@dataclass(frozen=True)
class Details:
    """What validation made of a participant's input."""

    category_id: int | None
    answers: dict
    option_ids: frozenset[int]
    consent_at: dt.datetime | None
    consent_version: str | None


_SNAPSHOTS: PerDatabase[str, FormSnapshot] = PerDatabase(1000)  # event id -> its form at some revision


def snapshot(session: Session, listing: Listing | ListingAtGate) -> FormSnapshot:
    """The event's form at its current revision (read again only after a change)."""
    cached = _SNAPSHOTS.get(session, listing.id)
    if cached is not None and cached.revision == listing.form_revision:
        return cached
    fields = session.scalars(
        select(FormField).where(FormField.event_id == listing.id).order_by(FormField.position, FormField.id)
    ).all()
    categories = session.scalars(
        select(Category).where(Category.event_id == listing.id).order_by(Category.position, Category.id)
    ).all()
    fresh = FormSnapshot(
        listing.form_revision,
        tuple(_field_spec(f) for f in fields),
        tuple(CategorySpec(c.id, c.code, c.label_it, c.label_en, c.quota) for c in categories),
    )
    _SNAPSHOTS.put(session, listing.id, fresh)
    return fresh


def _field_spec(field: FormField) -> FieldSpec:
    options = tuple(OptionSpec(o.id, o.key, o.label_it, o.label_en, o.limit, o.retired) for o in field.options)
    return FieldSpec(
        field.id,
        field.key,
        field.kind,
        field.label_it,
        field.label_en,
        field.required,
        field.max_length,
        field.min_value,
        field.max_value,
        field.retired,
        options,
    )


def validate(form: FormSnapshot, listing: Listing | ListingAtGate, data: dict, now: dt.datetime) -> Details:
    """Category, answers and consent of a new registration; FormInvalid names every bad field."""
    errors: dict[str, str] = {}
    category_id = _category(form, data.get("category"), errors)
    answers, option_ids = validate_answers(form, data.get("answers") or {}, errors)
    consent = bool(data.get("privacy_consent"))
    if listing.consent_required and not consent:
        errors["privacy_consent"] = "consent to the privacy policy is required"
    read = data.get("privacy_notice_version")
    if consent and read is not None and read != listing.privacy_policy_version:
        errors["privacy_notice_version"] = NOTICE_CHANGED
    if errors:
        raise FormInvalid(errors)
    return Details(
        category_id, answers, option_ids, now if consent else None, listing.privacy_policy_version if consent else None
    )


def _category(form: FormSnapshot, code: str | None, errors: dict) -> int | None:
    if not form.categories:
        if code:
            errors["category"] = "this event has no registration categories"
        return None
    if not code:
        errors["category"] = "choose a registration category"
        return None
    category = form.category(code)
    if category is None:
        errors["category"] = f"unknown category {code!r}"
        return None
    return category.id


def validate_answers(form: FormSnapshot, given: dict, errors: dict) -> tuple[dict, frozenset[int]]:
    known = {f.key: f for f in form.active_fields}
    for key in given:
        if key not in known:
            errors[f"answers.{key}"] = "no such field in this form"
    answers, option_ids = {}, set()
    for field in known.values():
        value, problem = normalise(field, given.get(field.key))
        if problem:
            errors[f"answers.{field.key}"] = problem
        elif value is not None:
            answers[field.key] = value
            option_ids |= chosen_options(field, value)
    return answers, frozenset(option_ids)


def chosen_options(field: FieldSpec, value) -> set[int]:
    keys = value if isinstance(value, list) else [value] if field.kind == "choice" else []
    return {o.id for o in field.options if o.key in keys}


def held_options(form: FormSnapshot, answers: dict) -> frozenset[int]:
    """The options an existing set of answers holds a place in."""
    held = set()
    for field in form.fields:
        if field.key in answers and field.kind in ("choice", "multiple_choice"):
            held |= chosen_options(field, answers[field.key])
    return frozenset(held)


def take_options(
    session: Session,
    form: FormSnapshot,
    wanted: frozenset[int],
    held: frozenset[int] = frozenset(),
    guards: Guards = GUARDED,
) -> None:
    """Claim the newly chosen options (sorted: no lock-order deadlocks), give back the dropped ones."""
    for option_id in sorted(wanted - held):
        if not guards.quota(session, FieldOption, option_id):
            field = form.option_field(option_id)
            option = next(o for o in field.options if o.id == option_id)
            raise OptionFull(f"{option.label_it!r} is no longer available", field=f"answers.{field.key}")
    for option_id in sorted(held - wanted):
        release_quota(session, FieldOption, option_id)


def give_back_options(session: Session, form: FormSnapshot, registration: Registration) -> None:
    for option_id in sorted(held_options(form, registration.answers or {})):
        release_quota(session, FieldOption, option_id)
