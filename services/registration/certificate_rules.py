"""What an event's certificate asks and whether a registration meets it.

The rules: a minimum share of the event's certified hours attended
(Listing.attendance_threshold, in percent; None: the event gives no
certificates), sessions that must be attended, and optionally a passed
final test.

Hours: a session counts its `hours` (its duration when scheduling sets
none) times the share of its time attended; without a programme each event
day counts its duration. Parallel sessions count once, as the minutes do: a
group of overlapping sessions is worth the most hours of any of them, and
what one attends in it is the best of its sessions.

A session is *attended* when the share of its own time attended reaches the
event's minimum share: that is what a mandatory session asks, and what
earns the session's credits. Credits are earned only with a certificate:
the event's credits plus those of the sessions attended, summed per type."""

from __future__ import annotations

import dataclasses
import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.errors import Unprocessable

from .attendance_time import attended_intervals, covered_share, day_windows, merged, programme_of, union_minutes
from .attendance_time import total_minutes as event_minutes
from .models import CertificateRules, FinalTest, FinalTestAttempt, Listing, Registration


@dataclasses.dataclass(frozen=True)
class Unit:
    """A stretch of certified time: a programme session, or an event day without a programme."""

    key: str  # session:<id> | day:YYYY-MM-DD
    starts_at: dt.datetime
    ends_at: dt.datetime
    hours: float
    credits: list


@dataclasses.dataclass(frozen=True)
class Verdict:
    minutes_attended: int
    total_minutes: int
    hours_attended: float
    hours_total: float
    share: float  # percent of the certified hours attended
    credits: list  # what the attendance earns (a certificate carries them)
    final_test_score: float | None
    unmet: tuple[str, ...]  # "share", "session:<id>", "final_test"; empty: the rules are met

    @property
    def met(self) -> bool:
        return not self.unmet

    @property
    def percent(self) -> float:
        """The share of the event's time attended, as attendance.summary has it."""
        return round(100 * self.minutes_attended / self.total_minutes, 1) if self.total_minutes else 0.0

    def facts(self) -> tuple:
        """As Certificate.facts(): what a corrected certificate would change."""
        return (self.minutes_attended, self.hours_attended, list(self.credits), self.final_test_score)


def rules_of(session: Session, listing: Listing) -> CertificateRules:
    """The event's rules row (made on first use: none yet means no mandatory sessions, no test)."""
    rules = session.get(CertificateRules, listing.id)
    if rules is None:
        rules = CertificateRules(event_id=listing.id, mandatory_session_ids=[], final_test_required=False)
        session.add(rules)
        session.flush()
    return rules


def rules_view(session: Session, listing: Listing) -> dict:
    rules = session.get(CertificateRules, listing.id)
    return {
        "min_share_percent": listing.attendance_threshold,
        "mandatory_session_ids": list(rules.mandatory_session_ids) if rules else [],
        "final_test_required": bool(rules and rules.final_test_required),
    }


def set_rules(session: Session, listing: Listing, changes: dict, *, by: str = "") -> dict:
    """Change some of the rules; the others stay. A mandatory session must be one
    of the released programme's; a required test needs no test yet (it can come later)."""
    rules = rules_of(session, listing)
    if "mandatory_session_ids" in changes:
        known = {s.id for s in programme_of(session, listing)}
        unknown = sorted(set(changes["mandatory_session_ids"]) - known)
        if unknown:
            raise Unprocessable(
                f"not confirmed sessions of this event's programme: {unknown}", field="mandatory_session_ids"
            )
        rules.mandatory_session_ids = sorted(set(changes["mandatory_session_ids"]))
    if "final_test_required" in changes:
        rules.final_test_required = changes["final_test_required"]
    if "min_share_percent" in changes:
        listing.attendance_threshold = changes["min_share_percent"]
    rules.updated_by = by
    session.flush()
    return rules_view(session, listing)


def units_of(session: Session, listing: Listing) -> list[Unit]:
    programme = programme_of(session, listing)
    if programme:
        return [
            Unit(
                f"session:{s.id}",
                s.starts_at,
                s.ends_at,
                s.hours if s.hours is not None else _hours(s.starts_at, s.ends_at),
                list(s.credits or []),
            )
            for s in programme
        ]
    return [
        Unit(f"day:{day.isoformat()}", start, end, _hours(start, end), [])
        for day, (start, end) in day_windows(listing).items()
    ]


def _hours(start: dt.datetime, end: dt.datetime) -> float:
    return (end - start).total_seconds() / 3600


def _groups(units: list[Unit]) -> list[list[Unit]]:
    """Units that overlap, in groups (parallel sessions)."""
    groups: list[list[Unit]] = []
    group_end: dt.datetime | None = None
    for unit in sorted(units, key=lambda u: (u.starts_at, u.ends_at)):
        if groups and group_end is not None and unit.starts_at < group_end:
            groups[-1].append(unit)
            group_end = max(group_end, unit.ends_at)
        else:
            groups.append([unit])
            group_end = unit.ends_at
    return groups


def best_score(session: Session, listing: Listing, registration: Registration) -> tuple[float | None, bool]:
    """The best attempt's score and whether any attempt passed (the best attempt counts)."""
    scores = session.execute(
        select(FinalTestAttempt.score, FinalTestAttempt.passed)
        .join(FinalTest, FinalTest.id == FinalTestAttempt.test_id)
        .where(FinalTest.event_id == listing.id, FinalTestAttempt.registration_id == registration.id)
    ).all()
    if not scores:
        return None, False
    return max(score for score, _ in scores), any(passed for _, passed in scores)


def verdict(session: Session, registration: Registration, listing: Listing) -> Verdict:
    threshold = listing.attendance_threshold or 0
    spans = merged(attended_intervals(session, registration, listing))
    units = units_of(session, listing)
    shares = {u.key: covered_share(spans, u.starts_at, u.ends_at) for u in units}
    hours_total = hours_attended = 0.0
    for group in _groups(units):
        hours_total += max(u.hours for u in group)
        hours_attended += min(max(u.hours for u in group), max(u.hours * shares[u.key] for u in group))
    share = 100 * hours_attended / hours_total if hours_total else 0.0
    attended = {key for key, value in shares.items() if value * 100 >= threshold - 1e-9 and value > 0}
    rules = session.get(CertificateRules, listing.id)
    unmet: list[str] = []
    if not hours_total or share < threshold - 1e-9:
        unmet.append("share")
    mandatory = [f"session:{i}" for i in (rules.mandatory_session_ids if rules else [])]
    unmet += [key for key in mandatory if key in shares and key not in attended]  # a cancelled one asks nothing
    score = None
    if rules and rules.final_test_required:
        score, passed = best_score(session, listing, registration)
        if not passed:
            unmet.append("final_test")
    earned = _credits(list(listing.credits or []) + [c for u in units if u.key in attended for c in u.credits])
    return Verdict(
        minutes_attended=union_minutes(spans),
        total_minutes=event_minutes(session, listing),
        hours_attended=round(hours_attended, 2),
        hours_total=round(hours_total, 2),
        share=round(share, 1),
        credits=earned,
        final_test_score=score,
        unmet=tuple(unmet),
    )


def _credits(amounts: list[dict]) -> list[dict]:
    """Amounts of the same credit type summed, in the order the types first appear."""
    by_type: dict[str, dict] = {}
    for amount in amounts:
        held = by_type.setdefault(amount["type_id"], {**amount, "amount": 0.0})
        held["amount"] = round(held["amount"] + float(amount["amount"]), 2)
    return list(by_type.values())
