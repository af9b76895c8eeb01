"""Each counter of the fault suite can see its failure: on consistent data
every problem counter is 0, and breaking the data one way moves exactly
the counter that should move (a lost mail, a duplicate, a dropped
registration, an overbooking by a direct insert, an outbox row left, a
CANCEL that does not supersede its REQUEST, ...). The scenarios run the same
breakages on the data of every real control run (controls.py)."""

from __future__ import annotations

import pytest

from tests.faults.checker import PROBLEMS, Mail, Stores, count
from tests.faults.controls import BREAKAGES, breaks_as_expected
from tests.faults.workload import ClientLog, Person


def consistent() -> tuple[ClientLog, Stores]:
    log = ClientLog("t")
    log.events["seminario"] = {"id": "E1", "capacity": 2, "mode": "confirm", "n": 0}
    log.workshop_ids = [11]
    people = {
        "a@x.org": ("R1", "confirmed", False),
        "b@x.org": ("R2", "confirmed", False),
        "c@x.org": ("R3", "waitlisted", False),
        "d@x.org": ("R4", "cancelled", True),
    }
    stores = Stores()
    for n, (email, (rid, status, cancelled)) in enumerate(people.items()):
        log.people[email] = Person(
            email, "seminario", [], registration_id=rid, token=f"t{n}", status=status, acknowledged=True
        )
        log.people[email].cancelled = cancelled
        stores.registrations.append(
            {"id": rid, "event_id": "E1", "email": email, "status": status, "holds_seat": status == "confirmed"}
        )
        stores.deliveries.append(
            {"message_id": f"<m{n}@x>", "recipient": email, "registration_id": rid, "status": "sent"}
        )
        calendar = ((f"uid-{n}", "REQUEST", 0),) if status != "waitlisted" else ()
        stores.mails.append(Mail(f"<m{n}@x>", email, calendar))
    stores.deliveries.append(
        {"message_id": "<m9@x>", "recipient": "d@x.org", "registration_id": "R4", "status": "sent"}
    )
    stores.mails.append(Mail("<m9@x>", "d@x.org", (("uid-3", "CANCEL", 1),)))
    stores.listings.append({"id": "E1", "capacity": 2, "confirmed_count": 2})
    stores.sessions.append({"id": 11, "seat_limit": 1, "taken": 1})
    stores.signups.append({"registration_id": "R1", "session_id": 11, "status": "confirmed"})
    return log, stores


def test_consistent_data_counts_no_problem():
    log, stores = consistent()
    counts = count(log, stores)
    assert {key: counts[key] for key in PROBLEMS} == dict.fromkeys(PROBLEMS, 0)
    assert counts["acknowledged"] == 4 and counts["mails_expected"] == counts["mails_delivered"] == 5
    assert counts["mails_max_copies"] == 1


@pytest.mark.parametrize("breakage", BREAKAGES, ids=[b.name for b in BREAKAGES])
def test_each_check_fails_when_its_data_is_broken(breakage):
    log, stores = consistent()
    assert breaks_as_expected(breakage, log, stores) == []


def test_a_mail_the_client_never_caused_counts_as_unexpected_and_one_with_a_stale_cancel_as_a_violation():
    log, stores = consistent()
    stores.mails.append(Mail("<stranger@x>", "a@x.org"))
    stores.mails[-2] = Mail("<m9@x>", "d@x.org", (("uid-3", "CANCEL", 0),))  # not above the REQUEST's 0
    counts = count(log, stores)
    assert counts["mails_unexpected"] == 1 and counts["cancel_violations"] == 1
