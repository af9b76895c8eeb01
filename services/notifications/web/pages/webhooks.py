"""Organiser pages for webhooks (login cookie from scheduling): for each
organisation the organiser manages, its endpoints (create, switch off and on,
rotate the secret, send a test ping, delete) and each endpoint's recent
deliveries. The same schema and use cases as the webhook API, so the same
roles: owners and organisers; another organisation's endpoints are not found.

A secret is shown on the answer to the form that made it, once, with
no-store: it never passes through a redirect, the flash cookie or a cache."""

from __future__ import annotations

import re

from flask import Blueprint, flash, redirect, render_template, request, url_for
from marshmallow import ValidationError

from shared.errors import DomainError
from shared.web.auth import organiser_required
from shared.web.context import transaction
from shared.web.forms import errors_of, text
from shared.web.i18n import current_language, translate
from shared.web.pages import html_errors

from ...models import WebhookEndpoint
from ...webhooks import endpoints
from ...webhooks.endpoints import MANAGE, EndpointChanges
from ...webhooks.event_types import known_types
from ..context import config
from ..webhook_schemas import EndpointIn
from . import TEMPLATE_FOLDER

bp = html_errors(Blueprint("webhook_pages", __name__, url_prefix="/organiser", template_folder=TEMPLATE_FOLDER))
RECENT_DELIVERIES = 50
NO_STORE = {"Cache-Control": "private, no-store", "Referrer-Policy": "no-referrer"}

# The use cases' refusals (English, for the API) as the form says them; first match wins.
REFUSALS = [
    (r"the URL must have 1 to (?P<max>\d+) characters", "L'indirizzo deve avere da 1 a %(max)s caratteri."),
    (r"not a valid URL", "Indirizzo non valido."),
    (r"the URL must start with (?P<schemes>.+)", "L'indirizzo deve iniziare con %(schemes)s."),
    (r"the URL needs a host", "All'indirizzo manca il nome del server."),
    (r"no user or password in the URL.*", "Niente utente né password nell'indirizzo: a autenticare basta la firma."),
    (r"no #fragment in the URL", "Niente #frammento nell'indirizzo."),
    (r"the URL must point to a public host", "L'indirizzo deve essere di un server pubblico."),
    (r"name at least one event type.*", "Scegli almeno un tipo di evento."),
    (r"at most (?P<n>\d+) event types", "Al massimo %(n)s tipi di evento."),
    (r"unknown event type\(s\): (?P<types>.+)", "Tipi di evento sconosciuti: %(types)s."),
    (r"your account has no e-mail address.*", "Il tuo account non ha un indirizzo e-mail: indica un contatto."),
]


def said(exc: DomainError | ValidationError) -> dict[str, str]:
    """Field -> the message in the page's language."""
    if isinstance(exc, DomainError):
        for pattern, italian in REFUSALS:
            found = re.fullmatch(pattern, exc.message)
            if found:
                return {exc.field or "form": translate(italian, **found.groupdict())}
    errors = errors_of(exc)
    if "event_types" in errors:  # the schema's "required" says nothing about a group of boxes
        errors["event_types"] = translate("Scegli almeno un tipo di evento.")
    return errors


def type_names() -> dict[str, str]:
    """Each catalogued type and each aggregate in words; a type added later shows its own name."""
    return {
        "*": translate("Tutti gli eventi, anche quelli che verranno aggiunti"),
        "attendance": translate("Presenze"),
        "certificate": translate("Attestati"),
        "event": translate("Eventi"),
        "organisation": translate("Organizzazioni"),
        "participant": translate("Partecipanti"),
        "record": translate("Libretto formativo"),
        "registration": translate("Iscrizioni"),
        "schedule": translate("Programma"),
        "survey": translate("Questionari"),
        "workshop": translate("Workshop"),
        "attendance.certified": translate("Frequenza sufficiente per l'attestato"),
        "certificate.issued": translate("Attestato emesso"),
        "certificate.revoked": translate("Attestato revocato"),
        "event.cancelled": translate("Evento annullato"),
        "event.published": translate("Evento pubblicato"),
        "event.updated": translate("Evento modificato"),
        "organisation.member_invited": translate("Persona invitata nell'organizzazione"),
        "participant.erased": translate("Dati di un partecipante cancellati"),
        "participant.messaged": translate("Messaggio ai partecipanti"),
        "record.link_requested": translate("Link al libretto formativo richiesto"),
        "registration.cancelled": translate("Iscrizione annullata"),
        "registration.confirmed": translate("Iscrizione confermata"),
        "registration.expired": translate("Offerta del posto scaduta"),
        "registration.join_link_changed": translate("Link personale per entrare cambiato"),
        "registration.link_requested": translate("Link per gestire l'iscrizione richiesto"),
        "registration.offered": translate("Posto offerto"),
        "registration.pending": translate("Iscrizione in attesa di approvazione"),
        "registration.rejected": translate("Iscrizione non approvata"),
        "registration.updated": translate("Iscrizione modificata"),
        "registration.waitlisted": translate("Iscrizione in lista d'attesa"),
        "schedule.released": translate("Nuova versione del programma"),
        "survey.invited": translate("Invito al questionario"),
        "workshop.cancelled": translate("Workshop annullato"),
        "workshop.confirmed": translate("Workshop confermato"),
        "workshop.waitlisted": translate("Workshop: lista d'attesa"),
    }


def type_choices() -> list[tuple[str, list[str]]]:
    """The catalogued types grouped by aggregate, each group led by its pattern ('registration.*')."""
    groups: dict[str, list[str]] = {}
    for event_type in known_types():
        groups.setdefault(event_type.split(".")[0], []).append(event_type)
    return sorted(groups.items())


# --- the organisations --------------------------------------------------------------


@bp.get("/webhooks")
@organiser_required
def organisations(organiser):
    """The organisations whose webhooks the organiser manages, with how many endpoints each has."""
    managed = sorted(org for org, role in organiser.roles.items() if role in MANAGE)
    with transaction() as session:
        rows = [(org, endpoints.list_endpoints(session, organiser, org)) for org in managed]
    return render_template("webhooks.html", rows=rows, is_admin=organiser.is_admin)


# --- an organisation's endpoints ------------------------------------------------------


@bp.get("/organisations/<organisation_id>/webhooks")
@organiser_required
def endpoint_list(organiser, organisation_id):
    return _list_page(organiser, organisation_id, {"contact_language": current_language()}, {}, 200)


def _list_page(organiser, organisation_id: str, form, errors: dict, status: int):
    with transaction() as session:
        found = endpoints.list_endpoints(session, organiser, organisation_id)
    return render_template(
        "webhooks_organisation.html",
        organisation_id=organisation_id,
        endpoints=found,
        groups=type_choices(),
        names=type_names(),
        chosen=set(form.getlist("event_types")) if hasattr(form, "getlist") else set(),
        form=form,
        errors=errors,
        my_email=organiser.email,
    ), status


@bp.post("/organisations/<organisation_id>/webhooks")
@organiser_required
def create(organiser, organisation_id):
    form = request.form
    try:
        data = EndpointIn().load(
            {
                "url": (form.get("url") or "").strip(),
                "event_types": form.getlist("event_types"),
                "description": (form.get("description") or "").strip(),
                "contact_email": text(form, "contact_email"),
                "contact_language": form.get("contact_language") or "it",
            }
        )
        with transaction() as session:
            endpoint = endpoints.create_endpoint(
                session, organiser, organisation_id, **data, allow_http=config().webhooks_allow_http
            )
            shown = _secret_view(endpoint)
    except (ValidationError, DomainError) as exc:
        if isinstance(exc, DomainError) and exc.status in (403, 404):
            raise
        return _list_page(organiser, organisation_id, form, said(exc), 422)
    return (
        render_template("webhooks_secret.html", organisation_id=organisation_id, created=True, **shown),
        201,
        NO_STORE,
    )


def _secret_view(endpoint: WebhookEndpoint) -> dict:
    """What the secret page needs, read inside the transaction."""
    return {"endpoint_id": endpoint.id, "url": endpoint.url, "secret": endpoint.secret}


# --- one endpoint ----------------------------------------------------------------------


@bp.get("/organisations/<organisation_id>/webhooks/<webhook_id>")
@organiser_required
def endpoint(organiser, organisation_id, webhook_id):
    with transaction() as session:
        found = endpoints.get_endpoint(session, organiser, organisation_id, webhook_id)
        log = endpoints.deliveries_of(session, organiser, organisation_id, webhook_id, limit=RECENT_DELIVERIES)
    return render_template(
        "webhooks_endpoint.html", organisation_id=organisation_id, endpoint=found, deliveries=log, names=type_names()
    ), 200


@bp.post("/organisations/<organisation_id>/webhooks/<webhook_id>/<any(enable, disable):action>")
@organiser_required
def switch(organiser, organisation_id, webhook_id, action):
    with transaction() as session:
        endpoints.change_endpoint(
            session,
            organiser,
            organisation_id,
            webhook_id,
            EndpointChanges(enabled=action == "enable"),
            allow_http=config().webhooks_allow_http,
        )
    if action == "enable":
        flash(translate("Webhook riattivato: le consegne in attesa partono subito."))
    else:
        flash(
            translate(
                "Webhook disattivato: non riceve nuovi eventi; le consegne già in coda aspettano che lo riattivi."
            )
        )
    return redirect(url_for(".endpoint", organisation_id=organisation_id, webhook_id=webhook_id), code=303)


@bp.post("/organisations/<organisation_id>/webhooks/<webhook_id>/rotate-secret")
@organiser_required
def rotate(organiser, organisation_id, webhook_id):
    with transaction() as session:
        shown = _secret_view(endpoints.rotate_secret(session, organiser, organisation_id, webhook_id))
    return render_template("webhooks_secret.html", organisation_id=organisation_id, created=False, **shown), NO_STORE


@bp.post("/organisations/<organisation_id>/webhooks/<webhook_id>/ping")
@organiser_required
def ping(organiser, organisation_id, webhook_id):
    with transaction() as session:
        endpoints.queue_ping(session, organiser, organisation_id, webhook_id)
    flash(translate("Prova in coda: l'esito compare tra le consegne qui sotto entro pochi secondi."))
    return redirect(url_for(".endpoint", organisation_id=organisation_id, webhook_id=webhook_id), code=303)


@bp.route("/organisations/<organisation_id>/webhooks/<webhook_id>/delete", methods=["GET", "POST"])
@organiser_required
def delete(organiser, organisation_id, webhook_id):
    """GET asks first; the POST of that page deletes the endpoint and its log."""
    if request.method == "GET":
        with transaction() as session:
            found = endpoints.get_endpoint(session, organiser, organisation_id, webhook_id)
        return render_template("webhooks_delete.html", organisation_id=organisation_id, endpoint=found)
    with transaction() as session:
        endpoints.delete_endpoint(session, organiser, organisation_id, webhook_id)
    flash(translate("Webhook eliminato con il suo registro delle consegne."))
    return redirect(url_for(".endpoint_list", organisation_id=organisation_id), code=303)
