"""Organisations and their members through scheduling's API, on SQLite and
PostgreSQL: an administrator creates an organisation and invites its owner;
the invitation reaches notifications as organisation.member_invited (the
wire body of the outbox, through the real dispatch) and becomes a mail with
a link that works once and expires; accepting it makes a member with the
role. Owners change roles, remove members and hand ownership over, never
losing the last owner; every change is in the audit log only owners read;
other organisations' owners get 404; bad input 422 naming the field."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from sqlalchemy import select, update

from services.notifications.models import Inbox
from services.scheduling import accounts
from services.scheduling.models import AuditEntry, Invitation, Outbox
from shared.errors import Conflict
from shared.messaging.dispatch import dispatch
from tests import servers
from tests.integration.events_doc import envelope_validator
from tests.integration.notification_helpers import Notifications
from tests.integration.scheduling_support import GIULIA, MARCO, SchedulingDesk, login

ADMIN = {"email": "admin@eventi.example", "password": "pw-admin-long"}
LINK = re.compile(r"https://eventi\.example\.org/scheduling/invitations/[A-Za-z0-9_-]+")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def world(request, tmp_path):
    """Scheduling and notifications, each on its own database of the same kind."""
    urls = [None, None]
    if request.param == "postgres":
        urls = [request.getfixturevalue("pg_url"), servers.create_pg_database()]
    desk = SchedulingDesk(tmp_path / "scheduling", database_url=urls[0])
    with desk.factory() as session, session.begin():
        accounts.create_account(
            session, email=ADMIN["email"], name="Amministratrice", password=ADMIN["password"], is_admin=True
        )
    notifications = Notifications(tmp_path / "notifications", database_url=urls[1])
    yield desk, notifications
    if urls[1]:
        servers.drop_pg_database(urls[1])


def admin(desk) -> dict:
    return login(desk.client, **ADMIN)


def deliver_invitations(desk, notifications) -> list[str]:
    """Every organisation.member_invited of the outbox through notifications'
    dispatch; the links of the mails it queued."""
    with desk.factory() as session:
        bodies = session.scalars(
            select(Outbox.body).where(Outbox.routing_key == "organisation.member_invited").order_by(Outbox.id)
        ).all()
    for body in bodies:
        dispatch(
            body,
            consumer="notifications",
            handlers=notifications.handlers,
            session_factory=notifications.factory,
            inbox_model=Inbox,
        )
    return [LINK.search(mail.get_body(("plain",)).get_content()).group(0) for mail in notifications.mails()]


def token_of(link: str) -> str:
    return link.rsplit("/", 1)[1]


def create_organisation(desk, owner_email="paolo@provincia.example", **extra) -> dict:
    body = {"name": "Provincia di Prova", "owner_email": owner_email, **extra}
    response = desk.client.post("/api/v1/organisations", json=body, headers=admin(desk))
    assert response.status_code == 201, response.json
    return response.json


def accept_new(desk, token: str, name="Paolo Verdi", password="una-password-lunga", expect=201):
    response = desk.client.post(f"/api/v1/invitations/{token}/accept", json={"name": name, "password": password})
    assert response.status_code == expect, response.json
    return response.json


def test_an_invited_owner_gets_a_mail_whose_link_makes_them_owner_once(world):
    desk, notifications = world
    created = create_organisation(desk, locale="en")
    assert created["owner_invitation"]["role"] == "owner" and created["slug"] == "provincia-di-prova"
    [link] = deliver_invitations(desk, notifications)
    with desk.factory() as session:
        [body] = session.scalars(select(Outbox.body).where(Outbox.routing_key == "organisation.member_invited"))
    assert list(envelope_validator().iter_errors(json.loads(body))) == []  # as docs/events.md promises
    [mail] = notifications.mails()
    assert mail["To"].addresses[0].addr_spec == "paolo@provincia.example"
    assert "Provincia di Prova" in mail["Subject"] and mail["Subject"].startswith("Invitation")
    token = token_of(link)

    offer = desk.client.get(f"/api/v1/invitations/{token}").json
    assert offer["role"] == "owner" and offer["has_account"] is False and offer["email"] == "paolo@provincia.example"
    joined = accept_new(desk, token)
    assert joined["role"] == "owner"
    paolo = login(desk.client, "paolo@provincia.example", "una-password-lunga")
    team = desk.client.get("/api/v1/organisations/provincia-di-prova/members", headers=paolo).json
    assert [(m["email"], m["role"]) for m in team["members"]] == [("paolo@provincia.example", "owner")]
    assert team["invitations"] == []

    # Single use: the same link again is refused, and so is reading it.
    again = desk.client.post(
        f"/api/v1/invitations/{token}/accept", json={"name": "X", "password": "altra-password-lunga"}
    )
    assert again.status_code == 409 and again.json["errors"]["json"]["token"]
    assert desk.client.get(f"/api/v1/invitations/{token}").status_code == 409
    # Only the hash is kept.
    with desk.factory() as session:
        assert token not in {row.token_hash for row in session.scalars(select(Invitation))}


def test_an_expired_or_unknown_link_is_refused(world):
    desk, notifications = world
    create_organisation(desk)
    [link] = deliver_invitations(desk, notifications)
    with desk.factory() as session, session.begin():
        session.execute(
            update(Invitation).values(expires_at=dt.datetime.now(dt.timezone.utc) - dt.timedelta(seconds=1))
        )
    expired = desk.client.post(
        f"/api/v1/invitations/{token_of(link)}/accept", json={"name": "P", "password": "una-password-lunga"}
    )
    assert expired.status_code == 410 and "token" in expired.json["errors"]["json"]
    assert desk.client.get("/api/v1/invitations/not-a-real-token").status_code == 404
    # Control: the link itself was right, only its time was up.
    with desk.factory() as session, session.begin():
        session.execute(update(Invitation).values(expires_at=dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=1)))
    accept_new(desk, token_of(link))


def test_an_existing_account_accepts_logged_in_with_the_invited_address_only(world):
    desk, notifications = world
    invite = desk.client.post(
        "/api/v1/organisations/comuni/invitations",
        json={"email": "Marco@Ateneo.example", "role": "checkin"},
        headers=desk.giulia,
    )
    assert invite.status_code == 201, invite.json
    [link] = deliver_invitations(desk, notifications)
    token = token_of(link)
    assert desk.client.get(f"/api/v1/invitations/{token}").json["has_account"] is True
    # Without a login, an address that has an account is told to log in.
    assert accept_new(desk, token, expect=409)["errors"]["json"]["email"]
    # Someone else's login does not accept it.
    wrong = desk.client.post(f"/api/v1/invitations/{token}/accept", json={}, headers=desk.giulia)
    assert wrong.status_code == 403
    right = desk.client.post(f"/api/v1/invitations/{token}/accept", json={}, headers=desk.marco)
    assert right.status_code == 201 and right.json["role"] == "checkin"
    # The role is in Marco's next token.
    fresh = login(desk.client, **MARCO)
    listed = desk.client.get("/api/v1/organisations", headers=fresh).json
    assert {(o["slug"], o["role"]) for o in listed} == {("ateneo", "organiser"), ("comuni", "checkin")}


def test_a_newer_invitation_replaces_the_pending_one(world):
    desk, notifications = world
    for role in ("organiser", "checkin"):
        body = {"email": "luca@comuni.example", "role": role}
        assert (
            desk.client.post("/api/v1/organisations/comuni/invitations", json=body, headers=desk.giulia).status_code
            == 201
        )
    first, second = deliver_invitations(desk, notifications)
    assert accept_new(desk, token_of(first), expect=409)["errors"]["json"]["token"]
    assert accept_new(desk, token_of(second))["role"] == "checkin"


def member_ids(desk, headers, slug="comuni") -> dict[str, str]:
    team = desk.client.get(f"/api/v1/organisations/{slug}/members", headers=headers).json
    return {m["email"]: m["account_id"] for m in team["members"]}


def join(desk, notifications, email: str, role: str, slug="comuni", who=None) -> dict:
    body = {"email": email, "role": role}
    response = desk.client.post(f"/api/v1/organisations/{slug}/invitations", json=body, headers=who or desk.giulia)
    assert response.status_code == 201, response.json
    link = deliver_invitations(desk, notifications)[-1]
    accept_new(desk, token_of(link), name=email.split("@")[0], password="password-di-prova")
    return login(desk.client, email, "password-di-prova")


def test_the_last_owner_can_be_neither_demoted_nor_removed(world):
    desk, notifications = world
    giulia_id = member_ids(desk, desk.giulia)[GIULIA["email"]]
    demote = desk.client.patch(
        f"/api/v1/organisations/comuni/members/{giulia_id}", json={"role": "organiser"}, headers=desk.giulia
    )
    assert demote.status_code == 409 and demote.json["errors"]["json"]["role"]
    remove = desk.client.delete(f"/api/v1/organisations/comuni/members/{giulia_id}", headers=desk.giulia)
    assert remove.status_code == 409 and remove.json["errors"]["path"]["account_id"]
    # Control: with a second owner, the first may step down.
    join(desk, notifications, "sara@comuni.example", "owner")
    demote = desk.client.patch(
        f"/api/v1/organisations/comuni/members/{giulia_id}", json={"role": "organiser"}, headers=desk.giulia
    )
    assert demote.status_code == 200 and demote.json["role"] == "organiser"
    # Giulia's authority over members is read from the database: gone at once.
    again = desk.client.patch(
        f"/api/v1/organisations/comuni/members/{giulia_id}", json={"role": "owner"}, headers=desk.giulia
    )
    assert again.status_code == 403


def test_owners_change_roles_remove_members_and_hand_ownership_over(world):
    desk, notifications = world
    luca = join(desk, notifications, "luca@comuni.example", "checkin")
    ids = member_ids(desk, desk.giulia)
    changed = desk.client.patch(
        f"/api/v1/organisations/comuni/members/{ids['luca@comuni.example']}",
        json={"role": "organiser"},
        headers=desk.giulia,
    )
    assert changed.status_code == 200 and changed.json["role"] == "organiser"
    # A non-owner member may read the team but not change it, nor read the log.
    assert desk.client.get("/api/v1/organisations/comuni/members", headers=luca).status_code == 200
    assert (
        desk.client.patch(
            f"/api/v1/organisations/comuni/members/{ids[GIULIA['email']]}", json={"role": "checkin"}, headers=luca
        ).status_code
        == 403
    )
    assert desk.client.get("/api/v1/organisations/comuni/audit", headers=luca).status_code == 403

    handed = desk.client.post(
        "/api/v1/organisations/comuni/transfer", json={"account_id": ids["luca@comuni.example"]}, headers=desk.giulia
    )
    assert handed.status_code == 200 and handed.json["role"] == "owner"
    roles = {
        m["email"]: m["role"]
        for m in desk.client.get("/api/v1/organisations/comuni/members", headers=luca).json["members"]
    }
    assert roles == {GIULIA["email"]: "organiser", "luca@comuni.example": "owner"}

    removed = desk.client.delete(f"/api/v1/organisations/comuni/members/{ids[GIULIA['email']]}", headers=luca)
    assert removed.status_code == 204
    assert set(member_ids(desk, luca)) == {"luca@comuni.example"}

    log = desk.client.get("/api/v1/organisations/comuni/audit", headers=luca).json
    actions = [(e["action"], e["actor_email"], e["subject_email"]) for e in reversed(log["items"])]
    assert actions == [
        ("member_invited", GIULIA["email"], "luca@comuni.example"),
        ("member_joined", "luca@comuni.example", "luca@comuni.example"),
        ("role_changed", GIULIA["email"], "luca@comuni.example"),
        ("ownership_transferred", GIULIA["email"], "luca@comuni.example"),
        ("member_removed", "luca@comuni.example", GIULIA["email"]),
    ]
    role_change = log["items"][2]
    assert role_change["before"] == {"role": "checkin"} and role_change["after"] == {"role": "organiser"}
    assert log["total"] == 5 and all(e["occurred_at"] for e in log["items"])


def test_the_audit_log_is_never_changed(world):
    desk, notifications = world
    join(desk, notifications, "luca@comuni.example", "checkin")
    with desk.factory() as session:
        entry = session.scalars(select(AuditEntry)).first()
        entry.action = "nothing_happened"
        with pytest.raises(Conflict):
            session.flush()


def test_other_organisations_owners_get_404_as_for_nothing(world):
    desk, notifications = world
    # Marco owns nothing in comuni; make him owner of his own university first.
    with desk.factory() as session, session.begin():
        from services.scheduling.models import Membership

        session.execute(update(Membership).values(role="owner").where(Membership.role == "organiser"))
    marco = login(desk.client, **MARCO)
    giulia_id = member_ids(desk, desk.giulia)[GIULIA["email"]]
    calls = [
        ("get", "/members", None),
        ("get", "/audit", None),
        ("post", "/invitations", {"email": "x@y.example", "role": "owner"}),
        ("patch", f"/members/{giulia_id}", {"role": "checkin"}),
        ("delete", f"/members/{giulia_id}", None),
        ("post", "/transfer", {"account_id": giulia_id}),
    ]
    for method, tail, body in calls:
        on_real = getattr(desk.client, method)(f"/api/v1/organisations/comuni{tail}", json=body, headers=marco)
        on_nothing = getattr(desk.client, method)(f"/api/v1/organisations/no-such-org{tail}", json=body, headers=marco)
        assert on_real.status_code == on_nothing.status_code == 404, (method, tail, on_real.json)
        assert str(on_real.json).replace("comuni", "?") == str(on_nothing.json).replace("no-such-org", "?")
    # Control: his own organisation answers him.
    assert desk.client.get("/api/v1/organisations/ateneo/audit", headers=marco).status_code == 200


def test_only_administrators_create_organisations_and_bad_input_names_the_field(world):
    desk, _ = world
    refused = desk.client.post(
        "/api/v1/organisations", json={"name": "X", "owner_email": "a@b.example"}, headers=desk.giulia
    )
    assert refused.status_code == 403
    boss = admin(desk)
    cases = [
        ("/api/v1/organisations", {"name": "", "owner_email": "a@b.example"}, "name"),
        ("/api/v1/organisations", {"name": "X", "owner_email": "not an address"}, "owner_email"),
        ("/api/v1/organisations", {"name": "X", "owner_email": "a@b.example", "slug": "Bad Slug"}, "slug"),
        ("/api/v1/organisations/comuni/invitations", {"email": "a@b.example", "role": "king"}, "role"),
        ("/api/v1/organisations/comuni/invitations", {"role": "owner"}, "email"),
        ("/api/v1/organisations/comuni/transfer", {}, "account_id"),
    ]
    for path, body, field in cases:
        response = desk.client.post(path, json=body, headers=boss)
        assert response.status_code == 422 and field in response.json["errors"]["json"], (path, body, response.json)
    taken = desk.client.post(
        "/api/v1/organisations", json={"name": "Comuni", "slug": "comuni", "owner_email": "a@b.example"}, headers=boss
    )
    assert taken.status_code == 409 and taken.json["errors"]["json"]["slug"]
    long_name = desk.client.post(
        "/api/v1/organisations", json={"name": "Unione " * 28, "owner_email": "a@b.example"}, headers=boss
    )
    assert long_name.status_code == 201 and len(long_name.json["slug"]) <= 80  # the column's length
    short = desk.client.post("/api/v1/invitations/whatever/accept", json={"name": "P", "password": "short"})
    assert short.status_code == 422 and "password" in short.json["errors"]["json"]
    missing = desk.client.post("/api/v1/invitations/whatever/accept", json={})
    assert missing.status_code == 422 and "name" in missing.json["errors"]["json"]
    member = desk.client.post(
        "/api/v1/organisations/comuni/invitations",
        json={"email": GIULIA["email"], "role": "checkin"},
        headers=desk.giulia,
    )
    assert member.status_code == 409 and member.json["errors"]["json"]["email"]
