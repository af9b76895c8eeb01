"""Controls for the counters: ways to break the gathered data, each with
the counters it must move. test_checker.py runs them on synthetic data,
the scenarios on the data of every real control run, so a check that
could not see its failure would be noticed on both."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass

from tests.faults.checker import Mail, Stores, count
from tests.faults.workload import ClientLog


@dataclass(frozen=True)
class Breakage:
    name: str
    apply: Callable[[ClientLog, Stores], bool]  # False: the data has nothing to break this way
    moves: tuple[str, ...]  # counters that must rise


def _delete_a_delivered_mail(log, stores):
    if not stores.mails:
        return False
    stores.mails.pop(0)
    return True


def _duplicate_a_mail(log, stores):
    if not stores.mails:
        return False
    stores.mails.append(stores.mails[0])
    return True


def _drop_a_waitlisted_registration(log, stores):
    """A registration the client was told of vanishes (one holding no seat, so no counter moves with it)."""
    for row in stores.registrations:
        person = log.people.get(row["email"])
        if person and person.acknowledged and row["status"] == "waitlisted":
            stores.registrations.remove(row)
            return True
    return False


def _overbook_by_direct_insert(log, stores):
    listing = next((entry for entry in stores.listings if entry["capacity"] is not None), None)
    if listing is None:
        return False
    held = sum(1 for r in stores.registrations if r["event_id"] == listing["id"] and r["holds_seat"])
    for n in range(max(listing["capacity"] - held, 0) + 1):
        stores.registrations.append(
            {
                "id": f"X{n}",
                "event_id": listing["id"],
                "email": f"x{n}@x.org",
                "status": "confirmed",
                "holds_seat": True,
            }
        )
    return True


def _leave_an_outbox_row(log, stores):
    stores.outbox_left += 1
    return True


def _park_a_message(log, stores):
    stores.parked += 1
    return True


def _seat_without_status(log, stores):
    row = next((r for r in stores.registrations if r["status"] == "waitlisted"), None)
    if row is None:
        return False
    row["holds_seat"] = True
    return True


def _cancel_not_shown(log, stores):
    """The client's cancel was acknowledged, the row still says confirmed."""
    for row in stores.registrations:
        person = log.people.get(row["email"])
        if person and person.cancelled and row["status"] == "cancelled":
            row["status"] = "waitlisted"
            return True
    return False


def _drop_the_cancel_mail(log, stores):
    """The last CANCEL of a cancelled person never arrived: the calendar keeps the seat."""
    cancelled = {r["email"].lower() for r in stores.registrations if r["status"] == "cancelled"}
    active = {r["email"].lower() for r in stores.registrations if r["status"] != "cancelled"}
    for n in range(len(stores.mails) - 1, -1, -1):
        mail = stores.mails[n]
        if mail.recipient.lower() in cancelled - active and any(m == "CANCEL" for _u, m, _s in mail.calendar):
            stores.mails[n] = Mail(mail.message_id, mail.recipient, ())
            return True
    return False


def _fail_a_delivery(log, stores):
    if not stores.deliveries:
        return False
    stores.deliveries[0] = {**stores.deliveries[0], "status": "failed"}
    return True


BREAKAGES = (
    Breakage("a delivered mail deleted from the SMTP store", _delete_a_delivered_mail, ("mails_lost",)),
    Breakage("a mail duplicated in the SMTP store", _duplicate_a_mail, ("mails_duplicated",)),
    Breakage("an acknowledged registration dropped", _drop_a_waitlisted_registration, ("lost",)),
    Breakage("an event overbooked by a direct insert", _overbook_by_direct_insert, ("overbooked",)),
    Breakage("an outbox row left unpublished", _leave_an_outbox_row, ("outbox_left",)),
    Breakage("a message parked", _park_a_message, ("parked",)),
    Breakage("a seat held without its status", _seat_without_status, ("half",)),
    Breakage("an acknowledged cancel not in the store", _cancel_not_shown, ("half",)),
    Breakage("the CANCEL after a REQUEST missing", _drop_the_cancel_mail, ("cancel_violations",)),
    Breakage("a delivery failed for good", _fail_a_delivery, ("mails_failed",)),
)


def breaks_as_expected(breakage: Breakage, log: ClientLog, stores: Stores, *, required: bool = True) -> list[str]:
    """[] when the breakage moved its counters (or, unless `required`, had
    nothing to break in this data); else what went wrong."""
    before = count(log, stores)
    broken = copy.deepcopy(stores)
    if not breakage.apply(log, broken):
        return [f"{breakage.name}: nothing to break in this data"] if required else []
    after = count(log, broken)
    return [f"{breakage.name}: {key} stayed {before[key]}" for key in breakage.moves if after[key] <= before[key]]
