"""A person's training record across events and organisations. The person
asks with their e-mail address; the answer is the same whether the address
is known or not, and only a known one gets `record.link_requested` (a secret
link that expires after RECORD_LINK_DAYS). Behind the link: every event the
address attended (confirmed registrations with a certificate or some
attendance), the hours per year, the credits by type, and the certificates
(the download link from notifications' certificate.issued, or "no longer
available" once revoked). Hours are the certificate's training hours, else
the hours attended.

Organisers get the same facts per organisation: for the events an
organisation organised, people trained, hours and credits per year, grouped
by the participants' own `organisation` field (e.g. per municipality) or as
one line for the organising organisation."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from shared.db import utcnow
from shared.errors import NotFound
from shared.messaging import add_event

from . import attendance
from .links import MAX_TOKEN_LENGTH, new_token, token_hash
from .models import Certificate, CertificateDownload, CheckIn, Listing, OnlinePresence, RecordLink, Registration

RECORD_LINK_DAYS = 7
GROUPINGS = ("participants", "organiser")


@dataclass(frozen=True)
class CertificateView:
    certificate_id: str
    status: str  # valid | revoked
    download_url: str | None
    verification_url: str | None
    issued_at: dt.datetime


@dataclass(frozen=True)
class Entry:
    registration_id: str
    event_id: str
    title: dict
    starts_at: dt.datetime
    ends_at: dt.datetime
    timezone: str
    venue: str
    organisation: str  # the participant's own, as they registered
    organisation_ids: list
    year: int
    hours: float
    credits: list  # CreditAmount dicts
    certificate: CertificateView | None


@dataclass
class TrainingRecord:
    email: str
    first_name: str
    last_name: str
    entries: list[Entry] = field(default_factory=list)

    @property
    def hours_by_year(self) -> dict[int, float]:
        totals: dict[int, float] = defaultdict(float)
        for entry in self.entries:
            totals[entry.year] += entry.hours
        return {year: round(hours, 2) for year, hours in sorted(totals.items(), reverse=True)}

    @property
    def credits_by_type(self) -> list[dict]:
        return credit_totals(entry.credits for entry in self.entries)


def credit_totals(groups: Iterable[list]) -> list[dict]:
    """Credit amounts summed by type: [{type_id, name, unit, amount}], by name."""
    totals: dict[str, dict] = {}
    for credits in groups:
        for credit in credits:
            total = totals.setdefault(
                credit["type_id"],
                {"type_id": credit["type_id"], "name": credit["name"], "unit": credit.get("unit", ""), "amount": 0.0},
            )
            total["amount"] = round(total["amount"] + float(credit["amount"]), 2)
    return sorted(totals.values(), key=lambda t: (t["name"].get("it") or "", t["type_id"]))


# --- the link -------------------------------------------------------------------------


def record_url(base_url: str, token: str) -> str:
    return f"{base_url}/registration/record/{token}"


def request_link(session: Session, email: str, locale: str, *, base_url: str, now: dt.datetime | None = None) -> None:
    """Mail a link to the record of `email`, if any registration has that address.
    The caller answers the same either way."""
    now, email = now or utcnow(), email.strip().lower()
    latest = session.scalar(
        select(Registration)
        .where(Registration.email == email, Registration.erased_at.is_(None))
        .order_by(Registration.created_at.desc())
        .limit(1)
    )
    if latest is None:
        return
    token, expires_at = new_token(), now + dt.timedelta(days=RECORD_LINK_DAYS)
    session.add(RecordLink(token_hash=token_hash(token), email=email, created_at=now, expires_at=expires_at))
    add_event(
        session,
        "record.link_requested",
        {
            "email": email,
            "locale": locale if locale in ("it", "en") else latest.locale,
            "first_name": latest.first_name,
            "record_url": record_url(base_url, token),
            "expires_at": expires_at,
        },
    )


def email_of(session: Session, token: str, *, now: dt.datetime | None = None) -> str:
    """The address behind a record link; unknown, malformed and expired links are a 404."""
    digest = token_hash(token) if token and len(token) <= MAX_TOKEN_LENGTH else None
    link = session.get(RecordLink, digest) if digest else None
    if link is None or link.expires_at <= (now or utcnow()):
        raise NotFound("no training record behind this link (it may have expired)", field="token")
    return link.email


def forget(session: Session, registration_id: str, email: str) -> None:
    """Erasure of one registration: its certificates' download links go, and
    every record link of the address (it may ask for a new one, which then
    shows only what is left)."""
    for download in session.scalars(
        select(CertificateDownload).where(CertificateDownload.registration_id == registration_id)
    ):
        session.delete(download)
    for link in session.scalars(select(RecordLink).where(RecordLink.email == email.strip().lower())):
        session.delete(link)


def expire_links(session: Session, now: dt.datetime | None = None) -> int:
    """Delete record links past their expiry; how many."""
    expired = list(session.scalars(select(RecordLink).where(RecordLink.expires_at <= (now or utcnow()))))
    for link in expired:
        session.delete(link)
    return len(expired)


# --- certificate.issued -------------------------------------------------------------------


def note_issued(session: Session, data: dict) -> None:
    """Keep where the signed certificate is verified and downloaded; nothing
    for a registration that is gone (erased in the meantime)."""
    registration = session.get(Registration, data["registration_id"])
    if registration is None or registration.erased_at is not None:
        return
    download = session.get(CertificateDownload, data["certificate_id"])
    if download is None:
        download = CertificateDownload(certificate_id=data["certificate_id"])
        session.add(download)
    download.registration_id = data["registration_id"]
    download.download_url = data["download_url"]
    download.verification_url = data["verification_url"]
    download.signed = data.get("signed", True)
    download.issued_at = data["issued_at"]


# --- the record -------------------------------------------------------------------------


def record_of(session: Session, email: str) -> TrainingRecord:
    registrations = list(
        session.scalars(
            select(Registration)
            .where(Registration.email == email, Registration.erased_at.is_(None), Registration.status == "confirmed")
            .order_by(Registration.created_at)
        )
    )
    latest = registrations[-1] if registrations else None
    record = TrainingRecord(
        email=email, first_name=latest.first_name if latest else "", last_name=latest.last_name if latest else ""
    )
    record.entries = entries_of(session, registrations)
    return record


def entries_of(session: Session, registrations: list[Registration]) -> list[Entry]:
    """The registrations that count as training (a certificate, or some attendance), newest event first."""
    listings = {
        listing.id: listing
        for listing in session.scalars(select(Listing).where(Listing.id.in_({r.event_id for r in registrations})))
    }
    entries = []
    for registration in registrations:
        listing = listings.get(registration.event_id)
        entry = listing and _entry(session, registration, listing)
        if entry:
            entries.append(entry)
    return sorted(entries, key=lambda e: (e.starts_at, e.event_id), reverse=True)


def _entry(session: Session, registration: Registration, listing: Listing) -> Entry | None:
    certificate = session.scalar(
        select(Certificate)
        .where(Certificate.registration_id == registration.id, Certificate.superseded_by.is_(None))
        .order_by(Certificate.issued_at.desc())
        .limit(1)
    )
    if certificate is None and not _attended(session, registration):
        return None
    live = certificate is not None and certificate.revoked_at is None
    if live and certificate is not None:
        hours, credits = float(certificate.hours_total), list(certificate.credits or [])
    else:
        hours, credits = round(attendance.summary(session, registration, listing)["minutes_attended"] / 60, 2), []
    zone = zoneinfo.ZoneInfo(listing.timezone)
    return Entry(
        registration_id=registration.id,
        event_id=listing.id,
        title={"it": listing.title_it, "en": listing.title_en},
        starts_at=listing.starts_at,
        ends_at=listing.ends_at,
        timezone=listing.timezone,
        venue=listing.venue,
        organisation=registration.organisation,
        organisation_ids=list(listing.organisation_ids or []),
        year=listing.starts_at.astimezone(zone).year,
        hours=hours,
        credits=credits,
        certificate=_certificate_view(session, certificate) if certificate else None,
    )


def _attended(session: Session, registration: Registration) -> bool:
    return registration.certified_at is not None or bool(
        session.scalar(
            select(
                exists().where(CheckIn.registration_id == registration.id)
                | exists().where(OnlinePresence.registration_id == registration.id)
            )
        )
    )


def _certificate_view(session: Session, certificate: Certificate) -> CertificateView:
    download = session.get(CertificateDownload, certificate.id)
    revoked = certificate.revoked_at is not None
    return CertificateView(
        certificate_id=certificate.id,
        status="revoked" if revoked else "valid",
        download_url=None if revoked or download is None else download.download_url,
        verification_url=download.verification_url if download else None,
        issued_at=certificate.issued_at,
    )


# --- per organisation -------------------------------------------------------------------


@dataclass
class OrganisationLine:
    year: int
    group: str
    people: set = field(default_factory=set)
    hours: float = 0.0
    credit_lists: list = field(default_factory=list)

    @property
    def credits(self) -> list[dict]:
        return credit_totals(self.credit_lists)


def organisation_summary(
    session: Session, organisation_id: str, grouping: str = "participants"
) -> list[OrganisationLine]:
    """Per year (newest first) and group: people trained (distinct addresses),
    hours and credits, over the events `organisation_id` organised."""
    event_ids = [
        listing.id
        for listing in session.scalars(select(Listing))
        if organisation_id in (listing.organisation_ids or [])
    ]
    registrations = list(
        session.scalars(
            select(Registration).where(
                Registration.event_id.in_(event_ids),
                Registration.erased_at.is_(None),
                Registration.status == "confirmed",
            )
        )
    )
    emails = {r.id: r.email for r in registrations}
    lines: dict[tuple[int, str], OrganisationLine] = {}
    for entry in entries_of(session, registrations):
        group = (entry.organisation.strip() or "—") if grouping == "participants" else organisation_id
        line = lines.setdefault((entry.year, group), OrganisationLine(year=entry.year, group=group))
        line.people.add(emails[entry.registration_id])
        line.hours = round(line.hours + entry.hours, 2)
        line.credit_lists.append(entry.credits)
    return sorted(lines.values(), key=lambda line: (-line.year, line.group.lower()))


def organisation_table(lines: list[OrganisationLine]) -> tuple[list[str], list[list]]:
    """(header, rows) for CSV and XLSX: one column per credit type met."""
    types = credit_totals(line.credits for line in lines)
    header = ["year", "group", "people_trained", "hours"] + [f"{t['name'].get('it')} ({t['unit']})" for t in types]
    rows = []
    for line in lines:
        amounts = {c["type_id"]: c["amount"] for c in line.credits}
        rows.append(
            [line.year, line.group, len(line.people), line.hours] + [amounts.get(t["type_id"], 0) for t in types]
        )
    return header, rows


def record_table(record: TrainingRecord) -> tuple[list[str], list[list]]:
    """(header, rows) of a person's record, one row per event."""
    header = ["year", "event", "starts_on", "ends_on", "venue", "hours", "credits", "certificate_id", "certificate"]
    rows = []
    for entry in record.entries:
        zone = zoneinfo.ZoneInfo(entry.timezone)
        credits = "; ".join(f"{c['amount']:g} {c.get('unit') or c['name'].get('it')}" for c in entry.credits)
        certificate = entry.certificate
        rows.append(
            [
                entry.year,
                entry.title["it"],
                entry.starts_at.astimezone(zone).date().isoformat(),
                entry.ends_at.astimezone(zone).date().isoformat(),
                entry.venue,
                entry.hours,
                credits,
                certificate.certificate_id if certificate else "",
                (certificate.download_url or "no longer available") if certificate else "",
            ]
        )
    return header, rows
