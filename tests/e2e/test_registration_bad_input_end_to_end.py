"""Addresses and names from the public form to the participant's inbox, on
both ways to run: a domain in another script is registered, published and
mailed in its IDNA form; a local part that is not ASCII is refused at
registration naming `email`; markup in a name arrives escaped."""

from __future__ import annotations

from tests.e2e.harness import ORGANISER, System
from tests.e2e.test_registration_slice import EVENT_SECONDS, named_fields, publish_event


def test_addresses_and_names_reach_the_mail_as_smtp_can_carry_them(system: System):
    slug = publish_event(system, system.login(ORGANISER))["slug"]
    system.wait_for(
        lambda: system.get(f"/registration/api/v1/events/{slug}").status_code == 200,
        timeout=EVENT_SECONDS,
        message="registration to open the event",
    )
    registrations = f"/registration/api/v1/events/{slug}/registrations"
    person = {"first_name": "<b>Zoë</b>", "last_name": "Müller", "email": "Zoe@Bücher.example", "locale": "it"}
    created = system.post(registrations, json=person)
    assert created.status_code == 201, created.text
    assert created.json()["registration"]["email"] == "zoe@xn--bcher-kva.example"
    refused = system.post(registrations, json={**person, "email": "zoë@example.org"})
    assert refused.status_code == 422 and "email" in named_fields(refused.json()), refused.text
    line_break = system.post(registrations, json={**person, "email": "x@example.org", "last_name": "M\r\nBcc: a@b.c"})
    assert line_break.status_code == 422 and "last_name" in named_fields(line_break.json()), line_break.text

    (mail,) = system.mail.wait_for("zoe@xn--bcher-kva.example", 1, timeout=EVENT_SECONDS)
    assert mail.rcpt_tos == ("zoe@xn--bcher-kva.example",)
    assert "zoe@xn--bcher-kva.example" in str(mail.message["To"])
    html = mail.message.get_body(preferencelist=("html",)).get_content()
    assert "<b>Zoë</b>" not in html and "&lt;b&gt;Zoë&lt;/b&gt;" in html
    assert not system.mail.to("zoë@example.org") and not system.mail.to("x@example.org")
