"""Training credits: an organisation's credit types (managed by its owners
and organisers) and the credits its events and sessions grant of them, as
the event contract's CreditAmount carries them. Use cases take a session
and plain data and never commit.

A credit type answers 404 to anyone who is neither an owner nor an organiser
of its organisation (nor an administrator), so another organisation's types
cannot be told apart from nothing. Roles are read from the memberships in
the database, as for the organisation's other settings."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from shared.auth import Organiser
from shared.errors import Conflict, NotFound
from shared.messaging import add_event

from .credit_grants import credit_types_of
from .events import event_data
from .models import Event, Membership, Organisation
from .models.credits import CreditType, EventCredit, SessionCredit
from .organisations import role_in

MANAGERS = ("owner", "organiser")
EDITABLE = ("name_it", "name_en", "unit")


def managed_organisation(session: Session, organiser: Organiser, ref: str) -> Organisation:
    """The organisation with this id (or slug), if the caller manages its credit types."""
    organisation = session.scalar(select(Organisation).where(or_(Organisation.id == ref, Organisation.slug == ref)))
    if organisation is not None and (
        organiser.is_admin or role_in(session, organisation.id, organiser.account_id) in MANAGERS
    ):
        return organisation
    raise NotFound(f"no organisation {ref!r}", field="org_id", location="path")


def list_credit_types(session: Session, organiser: Organiser, ref: str) -> list[CreditType]:
    organisation = managed_organisation(session, organiser, ref)
    return credit_types_of(session, [organisation.id])


def managed_credit_types(session: Session, organiser: Organiser) -> list[tuple[Organisation, list[CreditType]]]:
    """Every organisation whose credit types the caller manages, each with them."""
    query = select(Organisation).order_by(Organisation.name)
    if not organiser.is_admin:
        query = query.where(
            Organisation.id.in_(
                select(Membership.organisation_id).where(
                    Membership.account_id == organiser.account_id, Membership.role.in_(MANAGERS)
                )
            )
        )
    organisations = list(session.scalars(query))
    types = credit_types_of(session, [organisation.id for organisation in organisations])
    return [(org, [t for t in types if t.organisation_id == org.id]) for org in organisations]


def managed_credit_type(session: Session, organiser: Organiser, type_id: str) -> CreditType:
    """One credit type, if the caller manages its organisation's (404 otherwise)."""
    credit_type = session.get(CreditType, type_id)
    if credit_type is None:
        raise NotFound(f"no credit type {type_id!r}", field="type_id", location="path")
    return _credit_type(session, managed_organisation(session, organiser, credit_type.organisation_id), type_id)


def create_credit_type(session: Session, organiser: Organiser, ref: str, data: dict) -> CreditType:
    organisation = managed_organisation(session, organiser, ref)
    _check_name_free(session, organisation.id, data["name_it"])
    credit_type = CreditType(organisation_id=organisation.id, **{key: data[key] for key in EDITABLE if key in data})
    session.add(credit_type)
    session.flush()
    return credit_type


def update_credit_type(
    session: Session, organiser: Organiser, ref: str, type_id: str, data: dict, public_base_url: str
) -> CreditType:
    """Rename it or change its unit. Published events granting it tell the
    other services (`event.updated`); sessions carry the new name from their
    next release."""
    credit_type = _credit_type(session, managed_organisation(session, organiser, ref), type_id)
    changes = {key: value for key, value in data.items() if key in EDITABLE and getattr(credit_type, key) != value}
    if not changes:
        return credit_type
    if "name_it" in changes:
        _check_name_free(session, credit_type.organisation_id, changes["name_it"], but=credit_type.id)
    for key, value in changes.items():
        setattr(credit_type, key, value)
    session.flush()
    _tell_events_granting(session, credit_type, public_base_url)
    return credit_type


def delete_credit_type(session: Session, organiser: Organiser, ref: str, type_id: str) -> None:
    """Only while no event or session grants it (409 otherwise)."""
    credit_type = _credit_type(session, managed_organisation(session, organiser, ref), type_id)
    for model in (EventCredit, SessionCredit):
        if session.scalar(select(model.credit_type_id).where(model.credit_type_id == credit_type.id).limit(1)):
            raise Conflict("the credit type is granted by an event or a session", field="type_id")
    session.delete(credit_type)
    session.flush()


def _credit_type(session: Session, organisation: Organisation, type_id: str) -> CreditType:
    credit_type = session.get(CreditType, type_id)
    if credit_type is None or credit_type.organisation_id != organisation.id:
        raise NotFound(f"no credit type {type_id!r}", field="type_id", location="path")
    return credit_type


def _check_name_free(session: Session, organisation_id: str, name_it: str, but: str | None = None) -> None:
    query = select(CreditType.id).where(CreditType.organisation_id == organisation_id, CreditType.name_it == name_it)
    if but is not None:
        query = query.where(CreditType.id != but)
    if session.scalar(query):
        raise Conflict(f"the organisation already has a credit type called {name_it!r}", field="name")


def _tell_events_granting(session: Session, credit_type: CreditType, public_base_url: str) -> None:
    events = session.scalars(
        select(Event)
        .where(Event.status == "published")
        .where(Event.id.in_(select(EventCredit.event_id).where(EventCredit.credit_type_id == credit_type.id)))
        .order_by(Event.id)
        .with_for_update()
    )
    for event in events:
        event.touch()
        add_event(session, "event.updated", event_data(event, public_base_url))
