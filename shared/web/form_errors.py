"""Validation messages as the pages say them: the API's messages (marshmallow's
and our use cases', in English) mapped, per kind of error, to one Italian
text of the catalogue, which shared/messages/ translates back into clear
English. One place for every form of the three services; a message nobody
mapped is shown as the API gives it."""

from __future__ import annotations

import re

from shared.web.i18n import translate

REQUIRED = "Campo obbligatorio."
INVALID = "Valore non valido."
CHOOSE = "Scegli tra le opzioni proposte."
CONSENT = "Per iscriverti devi accettare l'informativa sulla privacy."
ONE_LINE = "Deve stare su una riga, senza a capo né caratteri di controllo."
NOTICE_CHANGED = "L'informativa sulla privacy ha una nuova versione: leggila e accetta di nuovo."

# exact messages -> Italian
EXACT = {
    # marshmallow
    "Missing data for required field.": REQUIRED,
    "Field may not be null.": REQUIRED,
    "Shorter than minimum length 1.": REQUIRED,
    "Not a valid datetime.": "Data e ora non valide.",
    "Not a valid date.": "Data non valida.",
    "Not a valid time.": "Ora non valida.",
    "Not a valid integer.": "Serve un numero intero.",
    "Not a valid number.": "Serve un numero.",
    "Not a valid email address.": "Indirizzo e-mail non valido.",
    "Not a valid string.": "Testo non valido.",
    "Not a valid boolean.": INVALID,
    "Not a valid list.": INVALID,
    "Not a valid mapping type.": INVALID,
    "Invalid value.": INVALID,
    "Invalid input type.": INVALID,
    "Unknown field.": "Campo sconosciuto.",
    # scheduling's schemas
    "must be after starts_at": "Deve essere dopo l'inizio.",
    "a colour like #1a2b3c": "Un colore come #1a2b3c.",
    "lower-case letters, digits and _, at most 40": "Lettere minuscole, cifre e _, al massimo 40.",
    # registration: answers to the form, categories, consent
    "this field is required": REQUIRED,
    "this box must be ticked": "Questa casella va spuntata.",
    "must be text": "Testo non valido.",
    "must be a number": "Serve un numero.",
    "must be a date (YYYY-MM-DD)": "Serve una data (AAAA-MM-GG).",
    "not one of the options": CHOOSE,
    "must be a list of options": CHOOSE,
    "no such field in this form": "Questo campo non fa parte del modulo.",
    "choose a registration category": "Scegli una categoria di iscrizione.",
    "this event has no registration categories": "Questo evento non ha categorie di iscrizione.",
    "consent to the privacy policy is required": CONSENT,
    "please read and accept the privacy notice": CONSENT,
    "the privacy notice has a new version: read it and consent again": NOTICE_CHANGED,
    # registration: the use cases
    "registration for this event is closed": "Le iscrizioni a questo evento sono chiuse.",
    "this e-mail is already registered for the event": "Questo indirizzo e-mail è già iscritto all'evento.",
    "the offer has expired": "L'offerta del posto è scaduta.",
    "no registration behind this link": "Nessuna iscrizione corrisponde a questo link.",
    # text, numbers, dates and addresses every form refuses
    "must be one line (no line breaks)": ONE_LINE,
    "must be a number of at most 15 digits": "Serve un numero di al massimo 15 cifre.",
    "min_value is above max_value: no answer could fit": "Il minimo supera il massimo.",
    "must be after opens_at": "Deve essere dopo l'apertura delle iscrizioni.",
    "not an IANA time zone name": "Fuso orario sconosciuto: usa un nome come Europe/Rome.",
    "the part after @ is not a valid domain name": "La parte dopo la @ non è un dominio valido.",
    "the part before @ must use only unaccented letters, digits and . _ - +": (
        "La parte prima della @ può contenere solo lettere non accentate, cifre e . _ - +."
    ),
    "too many failed logins: try again later": "Troppi tentativi non riusciti: riprova tra qualche minuto.",
}

# message patterns -> Italian with the captured values (first match wins)
PATTERNS = [
    (r"Length must be between 1 and (?P<max>\d+)\.", "Campo obbligatorio, al massimo %(max)s caratteri."),
    (r"Length must be between (?P<min>\d+) and (?P<max>\d+)\.", "Da %(min)s a %(max)s caratteri."),
    (r"Longer than maximum length (?P<max>\d+)\.", "Al massimo %(max)s caratteri."),
    (r"Shorter than minimum length (?P<min>\d+)\.", "Almeno %(min)s caratteri."),
    (r"Length must be (?P<n>\d+)\.", "Esattamente %(n)s caratteri."),
    (
        r"Must be greater than or equal to (?P<min>\S+) and less than or equal to (?P<max>\S+)\.",
        "Un valore tra %(min)s e %(max)s.",
    ),
    (r"Must be greater than or equal to (?P<min>\S+)\.", "Almeno %(min)s."),
    (r"Must be less than or equal to (?P<max>\S+)\.", "Al massimo %(max)s."),
    (r"Must be one of: .*\.", "Scegli un valore dall'elenco."),
    (r"String does not match expected pattern\.", "Formato non valido."),
    (r"at most (?P<max>\d+) characters", "Al massimo %(max)s caratteri."),
    (r"at most (?P<n>\d+) workshops", "Al massimo %(n)s workshop."),
    (r"at least (?P<min>\S+)", "Almeno %(min)s."),
    (r"at most (?P<max>\S+)", "Al massimo %(max)s."),
    (r"unknown category .*", "Categoria sconosciuta: scegline una dall'elenco."),
    (r"'(?P<label>.+)' is no longer available", "«%(label)s» non è più disponibile."),
    (r"no event .* open for registration", "Questo evento non accetta iscrizioni."),
    (r"no event '.*'", "Questo evento non esiste o non è più pubblicato."),
    (r"a \w+ registration cannot be changed", "Questa iscrizione non si può più modificare."),
    (r"a \w+ registration cannot choose workshops", "Questa iscrizione non può più scegliere workshop."),
    (r"a \w+ registration has no offer to accept", "Non c'è nessun posto offerto da accettare."),
    (r"not an open workshop of this event: .*", "Uno dei workshop scelti non è aperto alle iscrizioni."),
    (r"'(?P<first>.+)' and '(?P<second>.+)' overlap in time", "«%(first)s» e «%(second)s» si sovrappongono."),
    (r"must be one line without control characters \(U\+[0-9A-F]+ is not allowed\)", ONE_LINE),
    (
        r"must be text without control characters \(U\+[0-9A-F]+ is not allowed\)",
        "Il testo contiene un carattere non ammesso.",
    ),
    (r".* contains a character that is not allowed \(U\+[0-9A-F]+\)", "Il testo contiene un carattere non ammesso."),
    (r"must be between the years (?P<first>\d+) and (?P<last>\d+)", "Serve una data tra il %(first)s e il %(last)s."),
    (r"must be a date between (?P<first>\d+) and (?P<last>\d+)", "Serve una data tra il %(first)s e il %(last)s."),
    (
        r"the part before @ may have at most (?P<max>\d+) characters",
        "La parte prima della @ può avere al massimo %(max)s caratteri.",
    ),
]
_COMPILED = [(re.compile(rf"^{pattern}$"), italian) for pattern, italian in PATTERNS]


def italian_texts() -> set[str]:
    """Every Italian text this module can say (the translation test checks them)."""
    return set(EXACT.values()) | {italian for _, italian in PATTERNS}


def localize_error(message: str, lang: str | None = None) -> str:
    """The API's message as the page says it, in the page's language (or `lang`)."""
    message = str(message).strip()
    if message in EXACT:
        return translate(EXACT[message], lang)
    for pattern, italian in _COMPILED:
        match = pattern.match(message)
        if match:
            return translate(italian, lang, **match.groupdict())
    return message


def first_message(messages) -> str:
    """The first message of a marshmallow error value (a list, a nested dict or a string)."""
    if isinstance(messages, dict):
        return first_message(next(iter(messages.values()), ""))
    if isinstance(messages, (list, tuple)):
        return first_message(messages[0]) if messages else ""
    return str(messages)


def field_errors(messages: dict, lang: str | None = None) -> dict[str, str]:
    """{"email": ["Not a valid email address."]} -> {"email": "Indirizzo e-mail non valido."}: one
    localized message per top-level field (names kept, so `answers.diet` stays itself)."""
    return {str(field): localize_error(first_message(value), lang) for field, value in messages.items()}
