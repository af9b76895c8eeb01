"""Jepsen-style counters: the client's log (what it was told) against what
the stores hold once the system is quiet (the service databases read
directly, the SMTP server's mails, the broker's queues).

`gather` reads the stores into plain data; `count` is a pure function of
the log and that data, so each check can be shown to fail on data that
breaks it (tests/faults/test_checker.py)."""

from __future__ import annotations

import re
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from sqlalchemy import create_engine, text

from tests.faults.workload import ClientLog

SEAT_STATUSES = ("confirmed", "offered")  # a registration in these holds its seat


@dataclass(frozen=True)
class Mail:
    message_id: str
    recipient: str
    calendar: tuple[tuple[str, str, int], ...] = ()  # (UID, METHOD, SEQUENCE) of each invitation


@dataclass
class Stores:
    registrations: list[dict] = field(default_factory=list)  # id, event_id, email, status, holds_seat
    listings: list[dict] = field(default_factory=list)  # id, capacity, confirmed_count
    sessions: list[dict] = field(default_factory=list)  # id, seat_limit, taken
    signups: list[dict] = field(default_factory=list)  # registration_id, session_id, status
    deliveries: list[dict] = field(default_factory=list)  # message_id, recipient, registration_id, status
    mails: list[Mail] = field(default_factory=list)  # in arrival order, duplicates included
    outbox_left: int = 0  # unpublished rows, all three services
    parked: int = 0  # messages in <service>.dead since the run began
    queued: int = 0  # messages still in the consuming and retry queues


COUNTERS = (
    "acknowledged",
    "recovered",
    "unknown",
    "lost",
    "half",
    "unexpected",
    "overbooked",
    "counter_mismatch",
    "mails_expected",
    "mails_delivered",
    "mails_lost",
    "mails_duplicated",
    "mails_max_copies",
    "mails_unexpected",
    "mails_failed",
    "registrations_without_mail",
    "cancel_violations",
    "outbox_left",
    "parked",
    "queued",
)

# The counters that must stay at 0 in every run (duplicates have their own bound).
PROBLEMS = tuple(
    name
    for name in COUNTERS
    if name not in ("acknowledged", "recovered", "unknown", "mails_expected", "mails_delivered", "mails_max_copies")
)


def count(log: ClientLog, stores: Stores) -> dict[str, int]:
    c = dict.fromkeys(COUNTERS, 0)
    people = log.people
    event_ids = {event["id"] for event in log.events.values()}
    rows = {r["id"]: r for r in stores.registrations if r["event_id"] in event_ids}

    # registrations --------------------------------------------------------------
    for person in people.values():
        if person.acknowledged:
            c["acknowledged"] += 1
            row = rows.get(person.registration_id or "")
            if row is None:
                c["lost"] += 1
            elif person.cancelled and row["status"] != "cancelled":
                c["half"] += 1  # the cancel was acknowledged, the row does not show it
            elif not person.cancelled and row["status"] == "cancelled":
                # A cancel whose answer was lost (a gunicorn worker killed
                # mid-request, then 409 on the retry) did commit: recovered.
                c["recovered" if person.cancel_tried else "lost"] += 1
        elif person.recovered:
            c["recovered"] += 1
        elif _had_no_answer(log, person.email):
            c["unknown"] += 1  # the client does not know; the store may or may not have it
    for row in rows.values():
        person = people.get(row["email"])
        if person is None or not (person.acknowledged or person.recovered or _had_no_answer(log, person.email)):
            c["unexpected"] += 1  # a registration nobody was (or might have been) told of
        if bool(row["holds_seat"]) != (row["status"] in SEAT_STATUSES):
            c["half"] += 1  # a seat without the status, or the status without its seat

    # seats ----------------------------------------------------------------------
    held = Counter(r["event_id"] for r in rows.values() if r["holds_seat"])
    for listing in stores.listings:
        if listing["id"] not in event_ids:
            continue
        taken = held.get(listing["id"], 0)
        if listing["capacity"] is not None and taken > listing["capacity"]:
            c["overbooked"] += taken - listing["capacity"]
        if listing["confirmed_count"] != taken:
            c["counter_mismatch"] += 1
    ours = set(log.workshop_ids)
    seated = Counter(s["session_id"] for s in stores.signups if s["status"] == "confirmed")
    for session in stores.sessions:
        if session["id"] not in ours:
            continue
        if session["seat_limit"] is not None and seated.get(session["id"], 0) > session["seat_limit"]:
            c["overbooked"] += seated[session["id"]] - session["seat_limit"]
        if session["taken"] != seated.get(session["id"], 0):
            c["counter_mismatch"] += 1

    # mails ----------------------------------------------------------------------
    recipients = {p.email.lower() for p in people.values()}
    deliveries = {d["message_id"]: d for d in stores.deliveries if d["recipient"].lower() in recipients}
    copies = Counter(m.message_id for m in stores.mails if m.recipient.lower() in recipients)
    c["mails_expected"] = sum(1 for d in deliveries.values() if d["status"] != "failed")
    c["mails_failed"] = sum(1 for d in deliveries.values() if d["status"] == "failed")
    for message_id, delivery in deliveries.items():
        if delivery["status"] == "failed":
            continue
        if copies.get(message_id):
            c["mails_delivered"] += 1
        else:
            c["mails_lost"] += 1
    c["mails_duplicated"] = sum(n - 1 for n in copies.values() if n > 1)
    c["mails_max_copies"] = max(copies.values(), default=0)
    c["mails_unexpected"] = sum(1 for message_id in copies if message_id not in deliveries)
    mailed = {d["registration_id"] for d in deliveries.values() if d["registration_id"]}
    c["registrations_without_mail"] = sum(
        1 for p in people.values() if p.acknowledged and p.registration_id not in mailed
    )
    c["cancel_violations"] = _cancel_violations(log, stores.mails, recipients, rows)

    c["outbox_left"], c["parked"], c["queued"] = stores.outbox_left, stores.parked, stores.queued
    return c


def _had_no_answer(log: ClientLog, email: str) -> bool:
    return any(op.key == email and op.kind == "register" and op.status is None for op in log.ops)


def _cancel_violations(log: ClientLog, mails: list[Mail], recipients: set[str], rows: dict) -> int:
    """Per recipient and UID, in arrival order (a duplicate copy counts once):
    a CANCEL must carry a higher SEQUENCE than the REQUEST before it, and a
    person whose registration ended cancelled must have a CANCEL after the
    last REQUEST of every invitation they received."""
    items: dict[tuple[str, str], list[tuple[str, int]]] = defaultdict(list)
    seen: set[str] = set()
    for mail in mails:
        if mail.recipient.lower() not in recipients or mail.message_id in seen:
            continue
        seen.add(mail.message_id)
        for uid, method, sequence in mail.calendar:
            items[(mail.recipient.lower(), uid)].append((method, sequence))
    cancelled = {r["email"].lower() for r in rows.values() if r["status"] == "cancelled"}
    active = {r["email"].lower() for r in rows.values() if r["status"] != "cancelled"}
    violations = 0
    for (recipient, _uid), history in items.items():
        last_request = None
        for method, sequence in history:
            if method == "REQUEST":
                last_request = sequence
            elif method == "CANCEL" and last_request is not None and sequence <= last_request:
                violations += 1
        ended = history[-1][0]
        if recipient in cancelled and recipient not in active and ended == "REQUEST":
            violations += 1  # the seat is gone, the calendar still shows it
    return violations


# --- reading the stores ---------------------------------------------------------------

MESSAGE_ID = re.compile(rb"^Message-ID:\s*(<[^>\r\n]+>)", re.IGNORECASE | re.MULTILINE)


def mail_of(caught) -> Mail:
    from icalendar import Calendar

    message = caught.message
    calendar = []
    for part in message.walk():
        if part.get_content_type() != "text/calendar":
            continue
        parsed = Calendar.from_ical(part.get_payload(decode=True))
        for event in parsed.events:
            calendar.append((str(event["UID"]), str(parsed["METHOD"]), int(event.get("SEQUENCE", 0))))
    return Mail(str(message["Message-ID"]).strip(), caught.rcpt_tos[0], tuple(calendar))


def _rows(url: str, sql: str) -> list[dict]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return [dict(row._mapping) for row in conn.execute(text(sql))]
    finally:
        engine.dispose()


def queue_state(system) -> tuple[int, int]:
    """(parked, queued) on the run's vhost."""
    queues = system.rabbit.queues(system.vhost)
    parked = sum(n for name, n in queues.items() if name.endswith(".dead"))
    return parked, sum(n for name, n in queues.items() if not name.endswith(".dead"))


def outbox_left(system) -> int:
    return sum(
        _rows(url, "SELECT count(*) AS n FROM outbox WHERE published_at IS NULL")[0]["n"]
        for url in system.database_urls.values()
    )


def gather(system, *, parked_before: int = 0) -> Stores:
    urls = system.database_urls
    registration, notifications = urls["registration"], urls["notifications"]
    parked, queued = queue_state(system)
    return Stores(
        registrations=_rows(registration, "SELECT id, event_id, email, status, holds_seat FROM registrations"),
        listings=_rows(registration, "SELECT id, capacity, confirmed_count FROM listings"),
        sessions=_rows(registration, "SELECT id, seat_limit, taken FROM programme_sessions"),
        signups=_rows(registration, "SELECT registration_id, session_id, status FROM workshop_signups"),
        deliveries=_rows(notifications, "SELECT message_id, recipient, registration_id, status FROM deliveries"),
        mails=[mail_of(m) for m in list(system.mail.mails)],
        outbox_left=outbox_left(system),
        parked=parked - parked_before,
        queued=queued,
    )


def quiet(system) -> bool:
    """Nothing left to do: outboxes published, queues empty, no mail pending."""
    if outbox_left(system) or queue_state(system)[1]:
        return False
    pending = _rows(
        system.database_urls["notifications"], "SELECT count(*) AS n FROM deliveries WHERE status = 'pending'"
    )
    return pending[0]["n"] == 0


def wait_quiet(system, timeout: float) -> float | None:
    """Seconds until the system was quiet twice in a row, or None at the deadline."""
    started = time.monotonic()
    calm = 0
    while time.monotonic() - started < timeout:
        try:
            calm = calm + 1 if quiet(system) else 0
        except Exception:  # a store still coming back: not quiet yet
            calm = 0
        if calm >= 2:
            return time.monotonic() - started
        time.sleep(0.5)
    return None
