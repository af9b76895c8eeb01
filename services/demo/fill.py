"""Filling the seeded events through the HTTP APIs, each step idempotent: the
form is defined only when it differs from the plan, only the people not yet
registered register, and a second check-in changes nothing (the API answers
200 "already checked in"). So a second `make run` adds nothing."""

from __future__ import annotations

import datetime as dt
import logging
import time
import zoneinfo
from dataclasses import dataclass

from .client import Client, Unexpected
from .plan import PLANS, EventPlan

log = logging.getLogger("demo")

REGISTRATION = "/registration/api/v1"
ORGANISER = "/registration/api/v1/organiser/events"
POLL_SECONDS = 1.0


@dataclass
class Filled:
    registered: int = 0
    checked_in: int = 0


def wait_until_up(client: Client, deadline: float) -> None:
    """The gateway answers and every service is ready."""
    for service in ("scheduling", "registration", "notifications"):
        _poll(lambda service=service: _answers(client, f"/{service}/readyz"), deadline, f"/{service}/readyz")


def fill(client: Client, deadline: float) -> Filled:
    slugs = _slugs_by_title(client)
    done = Filled()
    for plan in PLANS:
        slug = plan.slug or slugs.get(plan.title_it)
        if slug is None:
            log.warning("no published event %r: skipped (was the demo seeded?)", plan.title_it)
            continue
        workshops = {r.workshop for r in plan.registrants if r.workshop}
        form = _wait_for_listing(client, slug, len(workshops), deadline)
        _define_form(client, slug, plan, form)
        done.registered += _register(client, slug, plan)
        done.checked_in += _check_in(client, slug, plan)
    return done


def _slugs_by_title(client: Client) -> dict[str, str]:
    page = client.expect(client.get("/scheduling/api/v1/events?page_size=100"), 200, doing="listing the events")
    return {item["title"]["it"]: item["slug"] for item in page["items"]}


def _wait_for_listing(client: Client, slug: str, workshops: int, deadline: float) -> dict:
    """The event's form, once registration has heard of the event and of
    its released programme (both come over the bus, after the seed)."""

    def ready() -> dict | None:
        answer = client.get(f"{REGISTRATION}/events/{slug}/form")
        return answer.data if answer.status == 200 and len(answer.data.get("workshops", [])) >= workshops else None

    return _poll(ready, deadline, f"registration to know {slug!r} and its {workshops} workshop(s)")


def _define_form(client: Client, slug: str, plan: EventPlan, form: dict) -> None:
    if plan.fields and [f["key"] for f in form["fields"]] != [f["key"] for f in plan.fields]:
        answer = client.put(f"{ORGANISER}/{slug}/form", {"fields": plan.fields})
        client.expect(answer, 200, doing=f"defining the form of {slug}")
        log.info("%s: %d custom fields defined", slug, len(plan.fields))
    if plan.categories and [c["code"] for c in form["categories"]] != [c["code"] for c in plan.categories]:
        answer = client.put(f"{ORGANISER}/{slug}/categories", {"categories": plan.categories})
        client.expect(answer, 200, doing=f"defining the categories of {slug}")
        log.info("%s: %d categories with quotas defined", slug, len(plan.categories))


def _register(client: Client, slug: str, plan: EventPlan) -> int:
    """Only the people not registered yet, in the plan's order (public API, as each person would)."""
    known = {r["email"] for r in _registrations(client, slug)}
    missing = [r for r in plan.registrants if r.person.email not in known]
    if not missing:
        return 0
    form = client.expect(client.get(f"{REGISTRATION}/events/{slug}/form"), 200, doing=f"reading the form of {slug}")
    workshop_ids = {w["title"]["it"]: w["session_id"] for w in form["workshops"]}
    privacy = form["privacy"]
    consent = {"privacy_consent": True, "privacy_notice_version": privacy["policy_version"]}
    for registrant in missing:
        body = registrant.body() | (consent if privacy["consent_required"] else {})
        body["workshops"] = [workshop_ids[registrant.workshop]] if registrant.workshop else []
        answer = client.post(f"{REGISTRATION}/events/{slug}/registrations", body)
        if answer.status == 409 and "already" in str(answer.body):
            continue  # registered meanwhile (a second demo process): nothing to add
        status = client.expect(answer, 201, doing=f"registering {registrant.person.email} for {slug}")
        log.info("%s: %s %s", slug, registrant.person.email, status["registration"]["status"])
    log.info("%s: %d registered", slug, len(missing))
    return len(missing)


def _check_in(client: Client, slug: str, plan: EventPlan) -> int:
    """Check the plan's first confirmed people in by registration id, as the
    desk does for someone found by name: the first day, then some sessions."""
    if not plan.day_checkins and not plan.session_checkins:
        return 0
    by_email = {r["email"]: r for r in _registrations(client, slug)}
    confirmed = [
        by_email[r.person.email]["id"]
        for r in plan.registrants
        if by_email.get(r.person.email, {}).get("status") == "confirmed"
    ]
    schedule = client.expect(
        client.get(f"/scheduling/api/v1/events/{slug}/schedule"), 200, doing=f"reading the schedule of {slug}"
    )
    session_ids = {s["title"]["it"]: s["id"] for s in schedule["sessions"]}
    first_day = _first_day(schedule)
    scopes = [({"day": first_day}, plan.day_checkins)] + [
        ({"session_id": session_ids[title]}, count) for title, count in plan.session_checkins.items()
    ]
    added = 0
    for scope, count in scopes:
        for registration_id in confirmed[:count]:
            answer = client.post(f"{ORGANISER}/{slug}/checkins", {"registration_id": registration_id, **scope})
            client.expect(answer, 200, 201, doing=f"checking {registration_id} in for {scope}")
            added += answer.status == 201
    log.info("%s: %d check-ins added", slug, added)
    return added


def _first_day(schedule: dict) -> str:
    zone = zoneinfo.ZoneInfo(schedule["event"]["timezone"])
    first = min(dt.datetime.fromisoformat(s["starts_at"]) for s in schedule["sessions"])
    return first.astimezone(zone).date().isoformat()


def _registrations(client: Client, slug: str) -> list[dict]:
    answer = client.get(f"{ORGANISER}/{slug}/registrations?page_size=500")
    return client.expect(answer, 200, doing=f"listing the registrations of {slug}")["items"]


def _answers(client: Client, path: str) -> bool:
    try:
        return client.get(path).status == 200
    except OSError:  # not listening yet
        return False


def _poll(predicate, deadline: float, what: str):
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() > deadline:
            raise Unexpected(f"gave up waiting for {what}")
        time.sleep(POLL_SECONDS)
