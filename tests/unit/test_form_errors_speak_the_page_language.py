"""Validation messages (marshmallow's and the use cases') are shown, per kind
of error, as clear Italian or English texts (shared/web/form_errors.py)."""

from __future__ import annotations

import pytest
from marshmallow import Schema, ValidationError, fields, validate

from shared.messages import ENGLISH
from shared.web.form_errors import field_errors, localize_error


@pytest.mark.parametrize(
    ("message", "italian", "english"),
    [
        (
            "Length must be between 1 and 100.",
            "Campo obbligatorio, al massimo 100 caratteri.",
            "Required, at most 100 characters.",
        ),
        ("Missing data for required field.", "Campo obbligatorio.", "This field is required."),
        (
            "Not a valid email address.",
            "Indirizzo e-mail non valido.",
            "Enter a valid e-mail address, like name@example.org.",
        ),
        ("Longer than maximum length 320.", "Al massimo 320 caratteri.", "At most 320 characters."),
        ("Must be one of: it, en.", "Scegli un valore dall'elenco.", "Choose a value from the list."),
        ("this box must be ticked", "Questa casella va spuntata.", "Please tick this box."),
        ("at most 40 characters", "Al massimo 40 caratteri.", "At most 40 characters."),
        ("at least 2", "Almeno 2.", "At least 2."),
        (
            "please read and accept the privacy notice",
            "Per iscriverti devi accettare l'informativa sulla privacy.",
            "To register, please read and accept the privacy notice.",
        ),
        (
            "registration for this event is closed",
            "Le iscrizioni a questo evento sono chiuse.",
            "Registration for this event is closed.",
        ),
        (
            "'Lab A' and 'Lab B' overlap in time",
            "«Lab A» e «Lab B» si sovrappongono.",
            "“Lab A” and “Lab B” overlap in time.",
        ),
    ],
)
def test_each_kind_of_error_reads_in_italian_and_in_english(message, italian, english):
    assert localize_error(message, "it") == italian
    assert localize_error(message, "en") == english


def test_a_message_nobody_mapped_is_shown_as_the_api_says_it():
    assert localize_error("something new", "it") == "something new"


def test_marshmallow_errors_become_one_message_per_field():
    class Person(Schema):
        first_name = fields.String(required=True, validate=validate.Length(min=1, max=100))
        email = fields.Email(required=True)
        workshops = fields.List(fields.Integer())

    with pytest.raises(ValidationError) as caught:
        Person().load({"first_name": "", "email": "x", "workshops": ["a"]})
    assert field_errors(caught.value.messages, "it") == {
        "first_name": "Campo obbligatorio, al massimo 100 caratteri.",
        "email": "Indirizzo e-mail non valido.",
        "workshops": "Serve un numero intero.",
    }
    assert field_errors(caught.value.messages, "en")["workshops"] == ENGLISH["Serve un numero intero."]
