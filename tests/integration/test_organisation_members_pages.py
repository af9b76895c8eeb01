"""The organisation pages with CSRF on, like a browser without JavaScript:
an administrator creates an organisation, its owner opens the mailed link,
creates the account and lands on the members page logged in; the owner
invites, changes a role, hands ownership over and reads the audit log, in
Italian and in English; a stranger gets 404 pages."""

from __future__ import annotations

import pytest

from services.scheduling import accounts
from tests.integration.notification_helpers import Notifications
from tests.integration.scheduling_support import MARCO, SchedulingDesk, log_in, submit
from tests.integration.test_organisation_members import ADMIN
from tests.integration.test_organisation_members import deliver_invitations as mailed_links


@pytest.fixture
def world(tmp_path):
    desk = SchedulingDesk(tmp_path / "scheduling", WTF_CSRF_ENABLED=True)
    with desk.factory() as session, session.begin():
        accounts.create_account(
            session, email=ADMIN["email"], name="Amministratrice", password=ADMIN["password"], is_admin=True
        )
    return desk, Notifications(tmp_path / "notifications")


def page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_data(as_text=True)


def test_from_a_new_organisation_to_its_owner_handing_it_over(world):
    desk, notifications = world
    boss = desk.app.test_client()
    log_in(boss, ADMIN)
    created = submit(
        boss,
        "/organiser/organisations/",
        {"name": "Provincia di Prova", "owner_email": "paolo@provincia.example", "locale": "it"},
    )
    assert created.status_code == 303 and created.headers["Location"].endswith(
        "/organiser/organisations/provincia-di-prova/"
    )
    assert "paolo@provincia.example" in page(
        boss, "/organiser/organisations/provincia-di-prova/"
    )  # a pending invitation

    [link] = mailed_links(desk, notifications)
    path = "/invitations/" + link.rsplit("/", 1)[1]
    paolo = desk.app.test_client()
    assert "Crea il tuo account per accettare." in page(paolo, path)
    mismatch = submit(
        paolo, path, {"name": "Paolo Verdi", "password": "una-password-lunga", "password_again": "diversa-password"}
    )
    assert mismatch.status_code == 422 and "Le due password non coincidono." in mismatch.get_data(as_text=True)
    joined = submit(
        paolo, path, {"name": "Paolo Verdi", "password": "una-password-lunga", "password_again": "una-password-lunga"}
    )
    assert joined.status_code == 303
    members_page = page(paolo, "/organiser/organisations/provincia-di-prova/")
    assert "Invita una persona" in members_page and "Titolare" in members_page  # the fresh cookie knows the role
    assert paolo.get(path).status_code == 409  # spent

    # Marco (who has an account) is invited, logs in and accepts.
    invited = submit(
        paolo,
        "/organiser/organisations/provincia-di-prova/",
        {"email": MARCO["email"], "role": "checkin", "locale": "en"},
        action="/organiser/organisations/provincia-di-prova/invite",
    )
    assert invited.status_code == 303
    marco_link = mailed_links(desk, notifications)[-1]
    marco = desk.app.test_client()
    assert "accedi per accettare" in page(marco, "/invitations/" + marco_link.rsplit("/", 1)[1])
    log_in(marco, MARCO)
    assert submit(marco, "/invitations/" + marco_link.rsplit("/", 1)[1], {}).status_code == 303

    team = desk.client.get(
        "/api/v1/organisations/provincia-di-prova/members",
        headers=_bearer(desk, "paolo@provincia.example", "una-password-lunga"),
    ).json
    marco_id = next(m["account_id"] for m in team["members"] if m["email"] == MARCO["email"])
    members_path = "/organiser/organisations/provincia-di-prova/"
    changed = submit(paolo, members_path, {"role": "organiser"}, action=f"{members_path}members/{marco_id}/role")
    assert changed.status_code == 303
    handed = submit(paolo, members_path, {"account_id": marco_id}, action=f"{members_path}transfer")
    assert handed.status_code == 303
    assert "Titolarità ceduta: ora sei organizzatore." in page(paolo, members_path)
    # Paolo is no owner any more: no forms, and the log is closed to him.
    assert "Invita una persona" not in page(paolo, members_path)
    assert paolo.get(f"{members_path}audit").status_code == 403

    log = page(marco, f"{members_path}audit")
    for text in ("Organizzazione creata", "Invito inviato", "Invito accettato", "Ruolo cambiato", "Titolarità ceduta"):
        assert text in log
    marco.get("/language/en")
    english = page(marco, f"{members_path}audit")
    assert "Audit log" in english and "Ownership handed over" in english and "Titolarità" not in english


def test_the_last_owner_is_kept_and_strangers_get_404_pages(world):
    desk, _ = world
    giulia = desk.app.test_client()
    log_in(giulia)
    team = desk.client.get("/api/v1/organisations/comuni/members", headers=desk.giulia).json
    giulia_id = team["members"][0]["account_id"]
    refused = submit(
        giulia,
        "/organiser/organisations/comuni/",
        {"role": "checkin"},
        action=f"/organiser/organisations/comuni/members/{giulia_id}/role",
    )
    assert refused.status_code == 303
    assert "ultimo titolare non può essere rimosso" in page(giulia, "/organiser/organisations/comuni/")
    marco = desk.app.test_client()
    log_in(marco, MARCO)
    for path in ("/organiser/organisations/comuni/", "/organiser/organisations/comuni/audit"):
        assert marco.get(path).status_code == marco.get(path.replace("comuni", "nessuna")).status_code == 404
    assert marco.get("/invitations/no-such-token").status_code == 404


def _bearer(desk, email: str, password: str) -> dict:
    from tests.integration.scheduling_support import login

    return login(desk.client, email, password)
