"""Organiser pages of notifications (login cookie from scheduling): the mails
sent for their events with their delivery status (and, in the embedded
mode, their content), and the bus messages parked after failing, with
replay (the same logic as `python -m shared.messaging.parked`)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from shared.messaging.parked import drain_and_route
from shared.web.auth import organiser_required
from shared.web.context import ctx, transaction
from shared.web.i18n import translate
from shared.web.pages import html_errors

from ... import deliveries, parked_messages
from ...deliveries import DeliveryFilter
from ...models import DELIVERY_STATES
from ..presenters import mail_view
from . import TEMPLATE_FOLDER

bp = html_errors(Blueprint("organiser_pages", __name__, url_prefix="/organiser", template_folder=TEMPLATE_FOLDER))


def embedded() -> bool:
    """Mail content is shown only on the embedded default (its own mail catcher, no real people)."""
    return ctx().settings.broker_url.startswith("filesystem")


@bp.get("/mail")
@organiser_required
def mail(organiser):
    slug, status = request.args.get("event") or None, request.args.get("status")
    with transaction() as session:
        event = deliveries.event_with_slug(session, slug) if slug else None
        rows = deliveries.list_deliveries(
            session,
            organiser=organiser,
            filters=DeliveryFilter(
                event_id=event.event_id if event else None,
                status=status if status in DELIVERY_STATES else None,
                limit=200,
            ),
        )
    return render_template(
        "organiser_mail.html",
        deliveries=rows,
        event=event,
        slug=slug or "",
        status=status,
        states=DELIVERY_STATES,
        embedded=embedded(),
    )


@bp.get("/mail/<int:delivery_id>")
@organiser_required
def mail_detail(organiser, delivery_id):
    if not embedded():
        abort(404)
    with transaction() as session:
        delivery = deliveries.get_delivery(session, delivery_id)
        visible = organiser.is_admin or delivery.event_id in deliveries.visible_events(session, organiser)
    if not visible:
        abort(404)
    view = mail_view(delivery.raw or b"")
    return render_template(
        "organiser_mail_detail.html",
        delivery=delivery,
        message=view["message"],
        text=view["text"],
        calendar=view["calendar"],
    )


def _require_operator(organiser) -> None:
    if not parked_messages.may_operate(organiser):
        abort(403)


@bp.get("/parked")
@organiser_required
def parked(organiser):
    """The parked messages about the events of the organisations the organiser owns."""
    _require_operator(organiser)
    with transaction() as session:
        visible = parked_messages.visibility(session, organiser)
    _replayed, kept = drain_and_route(ctx().settings, lambda message: False)
    return render_template("organiser_parked.html", parked=[message for message in kept if visible(message)])


@bp.post("/parked/replay")
@organiser_required
def replay(organiser):
    _require_operator(organiser)
    wanted = set(request.form.getlist("message_id"))
    with transaction() as session:
        visible = parked_messages.visibility(session, organiser)
    replayed, _kept = drain_and_route(ctx().settings, lambda message: message.message_id in wanted and visible(message))
    flash(translate("Messaggi rimessi in coda: %(n)s.", n=len(replayed)))
    return redirect(url_for(".parked"), code=303)
