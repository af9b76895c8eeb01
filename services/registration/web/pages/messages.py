"""Organisers' mail to participants: write a message (Italian, optionally
English) to a group of an event, see it as one recipient will in each
language with the number of people it reaches, then send it
(participant_messages.send). Each organiser may send MESSAGE_RATE_LIMIT
messages (the shared rate-limit storage, so every replica counts together);
the use case caps each event per hour."""

from __future__ import annotations

import re
from functools import lru_cache

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from limits import parse_many
from limits.strategies import MovingWindowRateLimiter
from markupsafe import Markup, escape
from marshmallow import ValidationError

from shared.errors import DomainError, TooManyRequests
from shared.web.auth import organiser_required
from shared.web.context import transaction
from shared.web.forms import errors_of
from shared.web.i18n import localized, translate
from shared.web.pages import html_errors
from shared.web.ratelimit import enabled, open_storage

from ... import organiser, participant_messages
from ...form_admin import categories_of
from ...participant_messages import Audience, Draft
from ..context import config
from ..schemas.messages import MessageIn

bp = html_errors(Blueprint("organiser_messages", __name__, url_prefix="/organiser/events/<slug>"))
MESSAGE_RATE_LIMIT = "10 per hour;30 per day"  # per organiser; the app's MESSAGE_RATE_LIMIT overrides it
FIELDS = ("audience", "category", "workshop", "subject_it", "body_it", "subject_en", "body_en")


@bp.app_template_filter("message_html")
def message_html(text: str) -> Markup:
    """Plain text as the mail shows it: escaped, a blank line parts paragraphs."""
    paragraphs = (p.strip() for p in re.split(r"\n\s*\n", (text or "").replace("\r\n", "\n")))
    return Markup("\n".join(f"<p>{Markup('<br>').join(escape(p).splitlines())}</p>" for p in paragraphs if p))


@bp.get("/messages")
@organiser_required
def compose(staff, slug):
    return _compose_page(staff, slug, request.args, {}, 200)


@bp.post("/messages/preview")
@organiser_required
def preview(staff, slug):
    try:
        draft = _draft()
        with transaction() as session:
            listing = organiser.listing_for(session, staff, slug)
            shown = participant_messages.preview(session, listing, draft)
            group = _group_label(session, listing, draft.audience)
    except (ValidationError, DomainError) as exc:
        return _compose_page(staff, slug, request.form, errors_of(exc), _status(exc))
    return render_template(
        "organiser/messages_preview.html",
        listing=listing,
        draft=draft,
        preview=shown,
        group=group,
        form=request.form,
        fields=FIELDS,
        section="messages",
    )


@bp.post("/messages")
@organiser_required
def send(staff, slug):
    if request.form.get("action") == "edit":  # back from the preview, with what was written
        return _compose_page(staff, slug, request.form, {}, 200)
    try:
        draft = _draft()
        _spend_allowance(staff.account_id)
        with transaction() as session:
            listing = organiser.listing_for(session, staff, slug)
            message = participant_messages.send(session, listing, draft, by=staff.account_id)
            count = message.recipients
    except (ValidationError, DomainError) as exc:
        return _compose_page(staff, slug, request.form, errors_of(exc), _status(exc))
    flash(translate("Messaggio inviato a %(n)s persone.", n=count))
    return redirect(url_for(".compose", slug=slug), code=303)


def _draft() -> Draft:
    values = {name: (request.form.get(name) or "").strip() or None for name in FIELDS}
    body = MessageIn().load({k: v for k, v in values.items() if v is not None})
    key = body["category"] if body["audience"] == "category" else body["workshop"]
    return Draft(
        audience=Audience(body["audience"], None if key is None else str(key)),
        subject_it=body["subject_it"],
        body_it=body["body_it"],
        subject_en=body["subject_en"],
        body_en=body["body_en"],
    )


def _status(exc: Exception) -> int:
    return exc.status if isinstance(exc, DomainError) else 422


def _compose_page(staff, slug: str, form, errors: dict, status: int):
    with transaction() as session:
        listing = organiser.listing_for(session, staff, slug)
        categories = categories_of(session, listing)
        workshops = participant_messages.workshops_of(session, listing)
        sent = participant_messages.history(session, listing)
        labels = {m.id: _group_label(session, listing, Audience(m.audience, m.audience_key)) for m in sent}
    return render_template(
        "organiser/messages.html",
        listing=listing,
        category_options=[(c.code, localized(None, it=c.label_it, en=c.label_en)) for c in categories],
        workshop_options=[(str(w.id), localized(None, it=w.title_it, en=w.title_en)) for w in workshops],
        sent=sent,
        labels=labels,
        form=form,
        errors=errors,
        per_hour=participant_messages.MAX_PER_EVENT_HOUR,
        section="messages",
    ), status


def _group_label(session, listing, audience: Audience) -> str:
    """The group in the page's words: "Confermati", "Categoria: Dipendenti", ..."""
    if audience.kind == "category":
        category = next((c for c in categories_of(session, listing) if c.code == audience.key), None)
        name = localized(None, it=category.label_it, en=category.label_en) if category else audience.key
        return translate("Categoria: %(name)s", name=name)
    if audience.kind == "workshop":
        workshop = next(
            (w for w in participant_messages.workshops_of(session, listing) if str(w.id) == audience.key), None
        )
        name = localized(None, it=workshop.title_it, en=workshop.title_en) if workshop else audience.key
        return translate("Workshop: %(name)s", name=name)
    labels = {
        "confirmed": translate("Confermati"),
        "waitlisted": translate("In lista d'attesa"),
        "pending": translate("In attesa di approvazione"),
    }
    return labels.get(audience.kind, audience.kind)


@lru_cache(maxsize=4)
def _limiter(uri: str) -> MovingWindowRateLimiter:
    return MovingWindowRateLimiter(open_storage(uri))


def _spend_allowance(account_id: str) -> None:
    """One message off this organiser's allowance, or TooManyRequests."""
    if not enabled(current_app.config.get("RATELIMIT_ENABLED", True)):
        return
    limiter = _limiter(config().settings.ratelimit_storage_uri)
    limits = parse_many(current_app.config.get("MESSAGE_RATE_LIMIT", MESSAGE_RATE_LIMIT))
    spent = next((limit for limit in limits if not limiter.test(limit, "participant-messages", account_id)), None)
    if spent is not None:
        raise TooManyRequests(
            "you have sent as many messages as allowed for now: try again later",
            retry_after=spent.get_expiry(),
            field="form",
        )
    for limit in limits:
        limiter.hit(limit, "participant-messages", account_id)
