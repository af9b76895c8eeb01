"""Organisers' dashboards: how one event is going, and an organisation's year.
The charts are drawn here from the figures of dashboards.py (charts.py, in
the page's language); the template shows the same figures as tables."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, render_template, request

from shared.errors import Unprocessable
from shared.web.auth import organiser_required
from shared.web.context import transaction
from shared.web.i18n import localized, translate
from shared.web.pages import html_errors

from ... import charts, dashboards, organiser

bp = html_errors(Blueprint("dashboard_pages", __name__, url_prefix="/organiser"))


@bp.get("/events/<slug>/dashboard")
@organiser_required
def event(staff, slug):
    with transaction() as session:
        listing = organiser.listing_for(session, staff, slug)
        figures = dashboards.event_dashboard(session, listing)
    return render_template(
        "organiser/dashboard.html",
        listing=listing,
        figures=figures,
        charts=_event_charts(figures),
        section="dashboard",
    )


@bp.get("/organisations/<organisation_id>/dashboard")
@organiser_required
def organisation(staff, organisation_id):
    year = request.args.get("year", dt.date.today().year, type=int)
    if year is None or not 2000 <= year <= 2100:
        raise Unprocessable("year must be between 2000 and 2100", field="year")
    with transaction() as session:
        figures = dashboards.organisation_year(session, staff, organisation_id, year)
    bars = [(localized(None, it=e.title_it, en=e.title_en), e.registrations) for e in figures.events]
    chart = charts.bar_chart(
        "chart-year-events",
        translate("Iscrizioni per evento nel %(year)s", year=year),
        translate("Barre orizzontali: il numero di iscrizioni di ogni evento. I numeri sono nella tabella che segue."),
        bars,
    )
    return render_template("organiser/dashboard_organisation.html", figures=figures, chart=chart)


def _event_charts(figures: dashboards.EventDashboard) -> dict:
    capacity = figures.listing.capacity
    states = [
        (translate("Confermate"), figures.confirmed),
        (translate("In attesa di approvazione"), figures.by_status.get("pending", 0)),
        (translate("In lista d'attesa"), figures.by_status.get("waitlisted", 0)),
        (translate("Posto offerto"), figures.by_status.get("offered", 0)),
        (translate("Presenti (check-in)"), figures.checked_in),
        (translate("Attestati"), figures.certificates),
    ]
    return {
        "states": charts.bar_chart(
            "chart-states",
            translate("Iscrizioni per stato"),
            translate("Barre orizzontali: iscrizioni per stato, presenti e attestati; il segno rosso è la capienza."),
            states,
            limits=[capacity] + [None] * (len(states) - 1),
        ),
        "days": charts.cumulative_chart(
            "chart-days",
            translate("Iscrizioni ricevute nel tempo"),
            translate(
                "Linea: il totale delle iscrizioni ricevute, giorno per giorno; la linea tratteggiata è la capienza."
            ),
            [(d.day, d.cumulative) for d in figures.days],
            capacity=capacity,
            capacity_label=translate("Capienza: %(n)s", n=capacity),
        ),
        "organisations": charts.bar_chart(
            "chart-organisations",
            translate("Enti dei partecipanti confermati"),
            translate("Barre orizzontali: i dieci enti con più partecipanti confermati."),
            [(s.label_it, s.count) for s in figures.organisations],
        ),
        "categories": charts.bar_chart(
            "chart-categories",
            translate("Confermati per categoria"),
            translate("Barre orizzontali: confermati per categoria; il segno rosso è la quota della categoria."),
            [(localized(None, it=c.label_it, en=c.label_en), c.count) for c in figures.categories],
            limits=[c.quota for c in figures.categories],
        ),
        "attendance": charts.bar_chart(
            "chart-attendance",
            translate("Presenze per sessione"),
            translate("Barre orizzontali: le persone presenti a ogni sessione e giornata, in sala o online."),
            [(localized(None, it=a.label_it, en=a.label_en), a.people) for a in figures.attendance],
        ),
    }
