"""Dates and labels for pages and e-mails, in the event's time zone."""

from __future__ import annotations

import datetime as dt
import zoneinfo

MONTHS = {
    "it": [
        "gennaio",
        "febbraio",
        "marzo",
        "aprile",
        "maggio",
        "giugno",
        "luglio",
        "agosto",
        "settembre",
        "ottobre",
        "novembre",
        "dicembre",
    ],
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
}
EVENT_TYPE_LABELS = {
    "it": {
        "congress": "Congresso",
        "conference": "Conferenza",
        "seminar": "Seminario",
        "course": "Corso",
        "summer_school": "Scuola estiva",
        "meeting": "Incontro",
        "workshop": "Workshop",
    },
    "en": {
        "congress": "Congress",
        "conference": "Conference",
        "seminar": "Seminar",
        "course": "Course",
        "summer_school": "Summer school",
        "meeting": "Meeting",
        "workshop": "Workshop",
    },
}


DEFAULT_TIMEZONE = "Europe/Rome"  # the product's home; events carry their own


def local(moment: dt.datetime, timezone: str) -> dt.datetime:
    return moment.astimezone(zoneinfo.ZoneInfo(timezone))


def format_when(starts_at: dt.datetime, ends_at: dt.datetime, timezone: str, lang: str = "it") -> str:
    """'3 dicembre 2026, 09:30-13:00' or a range over several days."""
    start, end = local(starts_at, timezone), local(ends_at, timezone)
    months = MONTHS.get(lang, MONTHS["it"])
    day = f"{start.day} {months[start.month - 1]} {start.year}"
    if start.date() == end.date():
        return f"{day}, {start:%H:%M}–{end:%H:%M}"
    return f"{day} {start:%H:%M} – {end.day} {months[end.month - 1]} {end.year} {end:%H:%M}"


def type_label(event_type: str, lang: str = "it") -> str:
    return EVENT_TYPE_LABELS.get(lang, EVENT_TYPE_LABELS["it"]).get(event_type, event_type)


WEEKDAYS = {
    "it": ["lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato", "domenica"],
    "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
}


def format_date(moment: dt.datetime | dt.date, timezone: str | None = None, lang: str = "it") -> str:
    """'giovedì 3 dicembre 2026' / 'Thursday 3 December 2026' (a datetime in the zone)."""
    day = local(moment, timezone or DEFAULT_TIMEZONE).date() if isinstance(moment, dt.datetime) else moment
    months, weekdays = MONTHS.get(lang, MONTHS["it"]), WEEKDAYS.get(lang, WEEKDAYS["it"])
    return f"{weekdays[day.weekday()]} {day.day} {months[day.month - 1]} {day.year}"


def format_time(moment: dt.datetime, timezone: str) -> str:
    return f"{local(moment, timezone):%H:%M}"


def month_label(year: int, month: int, lang: str = "it") -> str:
    return f"{MONTHS.get(lang, MONTHS['it'])[month - 1]} {year}"


SHORT_MONTHS = {
    "it": ["gen", "feb", "mar", "apr", "mag", "giu", "lug", "ago", "set", "ott", "nov", "dic"],
    "en": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
}


def format_moment(moment: dt.datetime, timezone: str | None = None, lang: str = "it") -> str:
    """'4 dic 2026, 19:36' / '4 Dec 2026, 19:36': one moment in the event's zone
    (Europe/Rome when the page has no event); a naive moment is UTC, as stored."""
    moment = moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)
    here = local(moment, timezone or DEFAULT_TIMEZONE)
    months = SHORT_MONTHS.get(lang, SHORT_MONTHS["it"])
    return f"{here.day} {months[here.month - 1]} {here.year}, {here:%H:%M}"


def local_input(moment: dt.datetime, timezone: str | None = None) -> str:
    """A moment as a datetime-local field's value in the event's zone ('2026-12-04T19:36')."""
    moment = moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)
    return f"{local(moment, timezone or DEFAULT_TIMEZONE):%Y-%m-%dT%H:%M}"


# What pages and mails call the keys the code stores: one table per kind of
# key, each key in Italian and English. A key missing here shows as itself,
# which tests/e2e/test_pages_show_words_and_local_times.py catches.
WORDS: dict[str, dict[str, tuple[str, str]]] = {
    "event_status": {
        "draft": ("Bozza", "Draft"),
        "published": ("Pubblicato", "Published"),
        "cancelled": ("Annullato", "Cancelled"),
    },
    "registration_status": {
        "pending": ("In attesa di approvazione", "Awaiting approval"),
        "confirmed": ("Confermata", "Confirmed"),
        "waitlisted": ("In lista d'attesa", "On the waiting list"),
        "offered": ("Posto offerto", "Seat offered"),
        "cancelled": ("Annullata", "Cancelled"),
        "rejected": ("Non approvata", "Not approved"),
        "expired": ("Offerta scaduta", "Offer expired"),
        "requested": ("Richiesta", "Requested"),
    },
    "session_status": {
        "confirmed": ("Confermata", "Confirmed"),
        "cancelled": ("Annullata", "Cancelled"),
    },
    "delivery_status": {
        "pending": ("In coda", "Queued"),
        "queued": ("In coda", "Queued"),
        "sent": ("Inviata", "Sent"),
        "failed": ("Non recapitata", "Not delivered"),
    },
    "webhook_status": {
        "pending": ("In coda", "Queued"),
        "delivered": ("Consegnata", "Delivered"),
        "failed": ("Non consegnata", "Failed"),
    },
    "import_status": {
        "preview": ("Anteprima", "Preview"),
        "confirmed": ("Confermata", "Confirmed"),
        "replaced": ("Sostituita", "Replaced"),
    },
    "certificate_state": {
        "valid": ("Valido", "Valid"),
        "superseded": ("Sostituito", "Superseded"),
        "revoked": ("Revocato", "Revoked"),
        "erased": ("Non più disponibile", "No longer available"),
    },
    "mail_kind": {
        "registration_pending": ("Iscrizione in attesa", "Registration awaiting approval"),
        "registration_confirmed": ("Iscrizione confermata", "Registration confirmed"),
        "registration_waitlisted": ("In lista d'attesa", "On the waiting list"),
        "registration_offered": ("Posto offerto", "Seat offered"),
        "registration_expired": ("Offerta scaduta", "Offer expired"),
        "registration_cancelled": ("Iscrizione annullata", "Registration cancelled"),
        "registration_rejected": ("Iscrizione non approvata", "Registration not approved"),
        "registration_link": ("Link per gestire l'iscrizione", "Link to manage the registration"),
        "workshop_confirmed": ("Workshop confermato", "Workshop confirmed"),
        "workshop_waitlisted": ("Workshop: lista d'attesa", "Workshop: waiting list"),
        "workshop_cancelled": ("Workshop annullato", "Workshop cancelled"),
        "schedule_change": ("Cambio di programma", "Programme change"),
        "schedule_digest": ("Riepilogo dei cambi", "Digest of changes"),
        "calendar_update": ("Aggiornamento del calendario", "Calendar update"),
        "reminder": ("Promemoria", "Reminder"),
        "starts_soon": ("Sta per iniziare", "Starting soon"),
        "certificate": ("Attestato", "Certificate"),
        "participant_message": ("Messaggio ai partecipanti", "Message to participants"),
        "survey_invited": ("Invito al questionario", "Survey invitation"),
        "record_link": ("Link al libretto formativo", "Link to the training record"),
        "member_invited": ("Invito nell'organizzazione", "Invitation to the organisation"),
        "webhook_disabled": ("Webhook disattivato", "Webhook disabled"),
        "accessibility_feedback": ("Segnalazione sull'accessibilità", "Accessibility feedback"),
    },
    "session_kind": {
        "session": ("Sessione", "Session"),
        "break": ("Pausa", "Break"),
    },
    "role": {
        "owner": ("Titolare", "Owner"),
        "organiser": ("Organizzatore", "Organiser"),
        "checkin": ("Accoglienza (check-in)", "Check-in staff"),
    },
    "event_type": {
        key: (EVENT_TYPE_LABELS["it"][key], EVENT_TYPE_LABELS["en"][key]) for key in EVENT_TYPE_LABELS["it"]
    },
    "delivery_mode": {
        "in_person": ("In presenza", "In person"),
        "online": ("Online", "Online"),
        "hybrid": ("Ibrido (in presenza e online)", "Hybrid (in person and online)"),
    },
}


def words(key: str | None, table: str, lang: str = "it") -> str:
    """A stored key in words ('confirmed' -> 'Confermata' / 'Confirmed')."""
    if key is None:
        return ""
    pair = WORDS[table].get(key)
    return (pair[1] if lang == "en" else pair[0]) if pair else key
