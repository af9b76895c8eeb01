"""The credits an event or a session grants, checked against the credit
types of the event's organisations, and written out as the event contract's
CreditAmount (shared/events/fields.py). Shared by the events and programme
use cases; no use case of its own."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.errors import Unprocessable

from .models import Event, ProgrammeSession
from .models.credits import CreditType, EventCredit, SessionCredit


def credit_types_of(session: Session, organisation_ids: Iterable[str]) -> list[CreditType]:
    """The credit types an event of these organisations may grant."""
    return list(
        session.scalars(
            select(CreditType)
            .where(CreditType.organisation_id.in_(list(organisation_ids)))
            .order_by(CreditType.name_it, CreditType.id)
        )
    )


def granted(
    session: Session, organisation_ids: list[str], amounts: list[dict], field: str = "credits"
) -> list[tuple[CreditType, float]]:
    """Checked amounts [{type_id, amount}]: each type once, of one of the
    event's organisations, amounts from 0 up (422 naming `field` otherwise)."""
    seen: set[str] = set()
    result = []
    for position, item in enumerate(amounts):
        type_id, amount = item["type_id"], item["amount"]
        if type_id in seen:
            raise Unprocessable(f"credit type {type_id} is listed twice", field=field)
        seen.add(type_id)
        credit_type = session.get(CreditType, type_id)
        if credit_type is None or credit_type.organisation_id not in organisation_ids:
            raise Unprocessable(
                f"credits[{position}]: no credit type {type_id} in the event's organisations", field=field
            )
        if amount < 0:
            raise Unprocessable(f"credits[{position}]: an amount is not negative", field=field)
        result.append((credit_type, round(float(amount), 2)))  # as stored: to the hundredth
    return result


def set_event_credits(event: Event, credits: list[tuple[CreditType, float]]) -> bool:
    """Replace the event's credits; whether anything changed."""
    rows = [EventCredit(credit_type_id=t.id, credit_type=t, amount=amount) for t, amount in credits]
    return _replace(event.credits, rows, lambda new: setattr(event, "credits", new))


def set_session_credits(row: ProgrammeSession, credits: list[tuple[CreditType, float]]) -> bool:
    rows = [SessionCredit(credit_type_id=t.id, credit_type=t, amount=amount) for t, amount in credits]
    return _replace(row.credits, rows, lambda new: setattr(row, "credits", new))


def credit_amounts(rows: Iterable[EventCredit] | Iterable[SessionCredit]) -> list[dict]:
    """Credits as the contract's CreditAmount, in a stable order (name, id):
    identical credits give identical payloads and snapshots."""
    amounts = [
        {
            "type_id": row.credit_type.id,
            "organisation_id": row.credit_type.organisation_id,
            "name": {"it": row.credit_type.name_it, "en": row.credit_type.name_en},
            "unit": row.credit_type.unit or "",
            "amount": float(row.amount),
        }
        for row in rows
    ]
    return sorted(amounts, key=lambda item: (item["name"]["it"], item["type_id"]))


def _replace(current: list, rows: list, assign: Callable[[list], None]) -> bool:
    def key(items):
        return sorted((item.credit_type_id, float(item.amount)) for item in items)

    changed = key(current) != key(rows)
    # Rows kept by type (same primary key): updating them in place spares a
    # delete and insert of the same key within one flush. Assigned even when
    # unchanged, so that a new event's empty list is loaded for its answer.
    existing = {item.credit_type_id: item for item in current}
    kept = []
    for row in rows:
        old = existing.get(row.credit_type_id)
        if old is not None:
            if float(old.amount) != row.amount:
                old.amount = row.amount
            kept.append(old)
        else:
            kept.append(row)
    assign(kept)
    return changed
