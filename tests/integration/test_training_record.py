"""The training record on SQLite and PostgreSQL: a person asks for the link
by e-mail and gets the same answer whether the address is known or not (only
a known one gets record.link_requested); behind the expiring link every event
attended, hours per year, credits by type and the certificates (the download
link from certificate.issued, "no longer available" once revoked), as page,
PDF and CSV; organisers read their organisation's summary by the
participants' organisation, as JSON, page, CSV and XLSX."""

from __future__ import annotations

import csv
import datetime as dt
import io
import uuid

import pypdf
from openpyxl import load_workbook

from services.registration import training_records
from services.registration.models import Certificate, Listing
from shared.envelope import build_envelope
from shared.web.auth import COOKIE
from tests.integration.registration_support import ORG, email, post_form

CREDIT = {
    "type_id": "cfp",
    "organisation_id": ORG,
    "name": {"it": "Crediti revisori", "en": "Auditor credits"},
    "unit": "CFP",
    "amount": 3,
}


def morning(desk) -> None:
    """The event from 9 to 13 in Rome, a month ahead (a day check-in counts its four hours)."""
    starts = (dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=30)).replace(
        hour=8, minute=0, second=0, microsecond=0
    )
    if desk.event["starts_at"] != starts:
        desk.deliver("event.updated", starts_at=starts, ends_at=starts + dt.timedelta(hours=4))


def attend(desk, n: int, **participant) -> str:
    """Register person n and check them in for the event's day; their registration id."""
    morning(desk)
    registration_id = desk.own(desk.registered(n, **participant)["token"])["id"]
    body = {"registration_id": registration_id, "day": desk.starts_at.date().isoformat()}
    assert desk.as_organiser("post", "/checkins", role="checkin", json=body).status_code == 201
    return registration_id


def certify(desk, registration_id: str, hours: float = 4.0, credits=(CREDIT,)) -> str:
    certificate_id = str(uuid.uuid4())
    with desk.factory() as session, session.begin():
        session.add(
            Certificate(
                id=certificate_id,
                registration_id=registration_id,
                event_id=desk.event["event_id"],
                issued_by="rules",
                minutes_attended=int(hours * 60),
                hours_total=hours,
                credits=list(credits),
            )
        )
    return certificate_id


def issued(desk, certificate_id: str, registration_id: str) -> None:
    data = {
        "certificate_id": certificate_id,
        "registration_id": registration_id,
        "event_id": desk.event["event_id"],
        "verification_url": f"https://eventi.example/notifications/certificates/{certificate_id}",
        "download_url": f"https://eventi.example/notifications/certificates/{certificate_id}/pdf?token=secret",
        "signed": True,
        "issued_at": dt.datetime.now(dt.timezone.utc),
    }
    desk._dispatch(build_envelope("certificate.issued", data, producer="notifications"))


def record_token(desk, address: str) -> str:
    mark = desk.mark()
    assert desk.client.post("/api/v1/records/link", json={"email": address}).status_code == 202
    (event,) = desk.events("record.link_requested", since=mark)
    return event[1]["record_url"].rsplit("/", 1)[1]


def test_the_answer_is_the_same_for_known_and_unknown_addresses_and_only_a_known_one_gets_a_link(desk):
    desk.registered(1)
    mark = desk.mark()
    known = desk.client.post("/api/v1/records/link", json={"email": email(1).upper()})
    unknown = desk.client.post("/api/v1/records/link", json={"email": "nobody@example.org"})
    assert (known.status_code, known.get_json()) == (unknown.status_code, unknown.get_json())
    (event,) = desk.events("record.link_requested", since=mark)
    data = event[1]
    assert data["email"] == email(1) and data["first_name"] == "Anna1" and data["record_url"].startswith("http")
    page_known = post_form(desk.client, "/record", {"email": email(1)})
    page_unknown = post_form(desk.client, "/record", {"email": "nobody@example.org"})
    assert page_known.status_code == page_unknown.status_code == 200
    sent = "gli abbiamo inviato il link al libretto formativo"
    assert sent in page_known.get_data(as_text=True) and sent in page_unknown.get_data(as_text=True)
    assert len(desk.events("record.link_requested", since=mark)) == 2  # the page's known address only
    bad = desk.client.post("/api/v1/records/link", json={"email": "not an address"})
    assert bad.status_code == 422 and bad.get_json()["errors"]["json"]["email"]
    assert post_form(desk.client, "/record", {"email": "x"}).status_code == 422


def test_the_record_lists_attended_events_with_hours_per_year_credits_and_the_certificate(desk):
    attended = attend(desk, 1)
    desk.registered(2)  # confirmed, never came: not in anyone's record
    certificate_id = certify(desk, attended, hours=3.5)
    issued(desk, certificate_id, attended)
    token = record_token(desk, email(1))
    record = desk.client.get(f"/api/v1/records/{token}").get_json()
    (entry,) = record["entries"]
    assert entry["hours"] == 3.5 and entry["credits"][0]["amount"] == 3
    assert entry["certificate"]["status"] == "valid" and entry["certificate"]["download_url"].endswith("token=secret")
    year = desk.starts_at.year
    assert record["hours_by_year"] == [{"year": year, "hours": 3.5}]
    assert record["credits_by_type"] == [{"type_id": "cfp", "name": CREDIT["name"], "unit": "CFP", "amount": 3.0}]
    page = desk.client.get(f"/record/{token}").get_data(as_text=True)
    assert "token=secret" in page and "Crediti revisori" in page
    nobody = record_token(desk, email(2))
    assert desk.client.get(f"/api/v1/records/{nobody}").get_json()["entries"] == []


def test_without_a_certificate_the_hours_attended_count_and_a_revoked_one_is_no_longer_available(desk):
    attended = attend(desk, 1)
    token = record_token(desk, email(1))
    (entry,) = desk.client.get(f"/api/v1/records/{token}").get_json()["entries"]
    assert entry["hours"] == 4.0 and entry["certificate"] is None  # the event's four hours, checked in
    certificate_id = certify(desk, attended)
    issued(desk, certificate_id, attended)
    with desk.factory() as session, session.begin():
        certificate = session.get_one(Certificate, certificate_id)
        certificate.revoked_at, certificate.revoked_cause = dt.datetime.now(dt.timezone.utc), "organiser"
    (entry,) = desk.client.get(f"/api/v1/records/{token}").get_json()["entries"]
    assert entry["certificate"]["status"] == "revoked" and entry["certificate"]["download_url"] is None
    assert entry["credits"] == []
    page = desk.client.get(f"/record/{token}").get_data(as_text=True)
    assert "Non più disponibile" in page and "token=secret" not in page


def test_the_record_downloads_as_pdf_and_csv_and_an_expired_or_unknown_link_is_a_404(desk):
    attended = attend(desk, 1, first_name="Zoë", organisation="=cmd|' /C calc'!A0")
    certify(desk, attended)
    token = record_token(desk, email(1))
    pdf = desk.client.get(f"/record/{token}.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf.data)).pages)
    assert "Libretto formativo" in text and "Zoë" in text and "3 CFP" in text
    rows = list(
        csv.reader(io.StringIO(desk.client.get(f"/record/{token}.csv").get_data(as_text=True).lstrip("\ufeff")))
    )
    assert rows[0][:2] == ["year", "event"] and rows[1][5] == "4.0" and rows[1][6] == "3 CFP"
    assert desk.client.get("/record/unknown").status_code == 404
    assert desk.client.get("/api/v1/records/unknown").status_code == 404
    with desk.factory() as session, session.begin():
        later = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=training_records.RECORD_LINK_DAYS, minutes=1)
        assert training_records.email_of(session, token) == email(1)
        try:
            training_records.email_of(session, token, now=later)
            raise AssertionError("an expired link opened the record")
        except training_records.NotFound:
            pass


def test_certificate_issued_for_an_erased_or_unknown_registration_is_dropped(desk):
    issued(desk, str(uuid.uuid4()), "no-such-registration")
    with desk.factory() as session:
        from services.registration.models import CertificateDownload

        assert session.query(CertificateDownload).count() == 0


def test_organisers_read_people_hours_and_credits_per_year_by_the_participants_organisation(desk):
    first = attend(desk, 1, organisation="Comune di Prova")
    second = attend(desk, 2, organisation='=HYPERLINK("http://x")')
    certify(desk, first, hours=4.0)
    certify(desk, second, hours=2.0, credits=())
    path = f"/api/v1/organiser/organisations/{ORG}/training"
    by_people = desk.client.get(path, headers=desk.headers()).get_json()
    lines = {line["group"]: line for line in by_people["lines"]}
    assert lines["Comune di Prova"]["people_trained"] == 1 and lines["Comune di Prova"]["hours"] == 4.0
    assert lines["Comune di Prova"]["credits"][0]["amount"] == 3.0
    whole = desk.client.get(f"{path}?group=organiser", headers=desk.headers()).get_json()["lines"]
    assert [(line["people_trained"], line["hours"]) for line in whole] == [(2, 6.0)]
    assert desk.client.get(f"{path}?group=nonsense", headers=desk.headers()).status_code == 422
    assert desk.client.get(path, headers=desk.headers(organisation="elsewhere")).status_code == 404
    assert desk.client.get(path, headers=desk.headers("checkin")).status_code == 403
    assert desk.client.get(path).status_code == 401
    desk.client.set_cookie(COOKIE, desk.headers()["Authorization"].split(" ", 1)[1])
    page = desk.client.get(f"/registration/organiser/organisations/{ORG}/training".replace("/registration", ""))
    assert page.status_code == 200 and "Comune di Prova" in page.get_data(as_text=True)
    body = desk.client.get(f"/organiser/organisations/{ORG}/training.csv").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows[0][:4] == ["year", "group", "people_trained", "hours"]
    assert '\'=HYPERLINK("http://x")' in [row[1] for row in rows]
    workbook = load_workbook(io.BytesIO(desk.client.get(f"/organiser/organisations/{ORG}/training.xlsx").data))
    cells = [c.value for row in workbook.active.iter_rows() for c in row]
    assert '\'=HYPERLINK("http://x")' in cells and not any(str(c).startswith("=") for c in cells if c)
    assert desk.client.get("/organiser/organisations/elsewhere/training").status_code == 404


def test_the_record_page_speaks_english_on_request(desk):
    attend(desk, 1)
    token = record_token(desk, email(1))
    desk.client.set_cookie("lang", "en")
    page = desk.client.get(f"/record/{token}").get_data(as_text=True)
    assert "Your training record" in page and "Training hours per year" in page
    with desk.factory() as session:
        assert session.get(Listing, desk.event["event_id"]) is not None


def test_erasure_forgets_the_download_links_and_the_record_links_of_the_address(desk):
    attended = attend(desk, 1)
    certificate_id = certify(desk, attended)
    issued(desk, certificate_id, attended)
    token = record_token(desk, email(1))
    with desk.factory() as session, session.begin():
        training_records.forget(session, attended, email(1).upper())
    assert desk.client.get(f"/record/{token}").status_code == 404
    with desk.factory() as session:
        from services.registration.models import CertificateDownload

        assert session.query(CertificateDownload).count() == 0


def test_expired_record_links_are_deleted_and_live_ones_kept(desk):
    desk.registered(1)
    live = record_token(desk, email(1))
    later = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=training_records.RECORD_LINK_DAYS + 1)
    with desk.factory() as session, session.begin():
        assert training_records.expire_links(session, now=dt.datetime.now(dt.timezone.utc)) == 0
    assert desk.client.get(f"/record/{live}").status_code == 200
    with desk.factory() as session, session.begin():
        assert training_records.expire_links(session, now=later) == 1
    assert desk.client.get(f"/record/{live}").status_code == 404


def test_asking_for_record_links_is_rate_limited_per_client_like_send_me_my_link(tmp_path):
    from tests.factories import settings_for
    from tests.integration.registration_support import Desk

    desk = Desk(settings_for("registration", tmp_path), RATELIMIT_ENABLED=True, LINK_RATE_LIMIT="2 per minute")
    desk.deliver("event.published")
    codes = [desk.client.post("/api/v1/records/link", json={"email": email(n)}).status_code for n in (1, 2, 3)]
    assert codes == [202, 202, 429]
    assert desk.client.get("/record").status_code == 200  # the form itself stays readable
