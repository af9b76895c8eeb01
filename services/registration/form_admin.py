"""Organisers define an event's form: custom fields (with choice options and
their limits) and registration categories (with quotas). A field or option
that disappears from the definition is retired, not deleted, so old answers
and exports keep their labels."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from shared.errors import Conflict, Unprocessable

from .models import Category, FieldOption, FormField, Listing, Registration
from .store import gate
from .waitlist import promote_all

CHOICE_KINDS = ("choice", "multiple_choice")


def define_fields(session: Session, listing: Listing, definitions: list[dict]) -> list[FormField]:
    _check_unique([d["key"] for d in definitions], "fields")
    existing = {f.key: f for f in session.scalars(select(FormField).where(FormField.event_id == listing.id))}
    for position, definition in enumerate(definitions):
        field = existing.get(definition["key"])
        if field is None:
            field = FormField(event_id=listing.id, key=definition["key"], kind=definition["kind"])
            session.add(field)
        _fill_field(field, definition, position)
        session.flush()
        _define_options(session, field, definition.get("options") or [])
    for key, field in existing.items():
        if key not in {d["key"] for d in definitions}:
            field.retired = True
    listing.form_revision += 1
    return fields_of(session, listing)


def _fill_field(field: FormField, definition: dict, position: int) -> None:
    if field.kind != definition["kind"]:
        raise Conflict(f"field {field.key!r} is a {field.kind} field; use a new key for another kind", field="fields")
    if (definition["kind"] in CHOICE_KINDS) != bool(definition.get("options")):
        raise Unprocessable(
            f"field {field.key!r}: options are for choice fields, and they need at least one", field="fields"
        )
    field.label_it, field.label_en = definition["label"]["it"], definition["label"].get("en")
    field.required, field.position, field.retired = definition.get("required", False), position, False
    field.max_length = definition.get("max_length")
    field.min_value, field.max_value = definition.get("min_value"), definition.get("max_value")


def _define_options(session: Session, field: FormField, definitions: list[dict]) -> None:
    _check_unique([d["key"] for d in definitions], "options")
    existing = {o.key: o for o in session.scalars(select(FieldOption).where(FieldOption.field_id == field.id))}
    for position, definition in enumerate(definitions):
        option = existing.get(definition["key"])
        if option is None:
            option = FieldOption(field_id=field.id, key=definition["key"], taken=0)
            session.add(option)
        option.label_it, option.label_en = definition["label"]["it"], definition["label"].get("en")
        option.limit, option.position, option.retired = definition.get("limit"), position, False
    for key, option in existing.items():
        if key not in {d["key"] for d in definitions}:
            option.retired = True
    session.flush()
    session.expire(field, ["options"])


def define_categories(session: Session, listing: Listing, definitions: list[dict], *, base_url: str) -> list[Category]:
    """Upsert categories by code; one that people registered in cannot go. A
    raised quota lets people in (an offer's link starts with `base_url`)."""
    _check_unique([d["code"] for d in definitions], "categories")
    gate.close(session, listing.id)  # a raised quota frees places
    session.refresh(listing, with_for_update=True)
    existing = {
        c.code: c for c in session.scalars(select(Category).where(Category.event_id == listing.id).with_for_update())
    }
    for position, definition in enumerate(definitions):
        category = existing.get(definition["code"])
        if category is None:
            category = Category(event_id=listing.id, code=definition["code"], taken=0)
            session.add(category)
        category.label_it, category.label_en = definition["label"]["it"], definition["label"].get("en")
        category.quota, category.position = definition.get("quota"), position
    for code, category in existing.items():
        if code not in {d["code"] for d in definitions}:
            _remove_category(session, category)
    listing.form_revision += 1
    session.flush()
    promote_all(session, listing, base_url=base_url)
    return categories_of(session, listing)


def _remove_category(session: Session, category: Category) -> None:
    used = session.scalar(select(func.count()).select_from(Registration).where(Registration.category_id == category.id))
    if used:
        raise Conflict(f"category {category.code!r} has registrations and cannot be removed", field="categories")
    session.delete(category)


def _check_unique(keys: list[str], field: str) -> None:
    if len(keys) != len(set(keys)):
        raise Unprocessable("each key may appear only once", field=field)


def fields_of(session: Session, listing: Listing) -> list[FormField]:
    return list(
        session.scalars(
            select(FormField)
            .where(FormField.event_id == listing.id, FormField.retired.is_(False))
            .order_by(FormField.position, FormField.id)
        )
    )


def categories_of(session: Session, listing: Listing) -> list[Category]:
    return list(
        session.scalars(
            select(Category).where(Category.event_id == listing.id).order_by(Category.position, Category.id)
        )
    )
