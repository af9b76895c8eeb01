"""What the demo puts in each seeded event: who registers (in order, so the
waiting lists come out the same every time), the congress's categories and
custom fields, who signs up for its workshops and who checks in.

Only the congress has check-ins: it starts today (services/scheduling/
seed_congress.py), while the seminars and the online course are weeks away
and nobody can have come yet."""

from __future__ import annotations

from dataclasses import dataclass, field

from .people import PEOPLE, Person

CONGRESS_SLUG = "congresso-comuni-digitali"  # services/scheduling/seed_congress.py names it so
ELECTED = ("Sindaco", "Vicesindaco", "Assessore", "Consigliere", "Presidente")

CATEGORIES = [
    {"code": "amministratori", "label": {"it": "Amministratori", "en": "Elected officials"}, "quota": 10},
    {"code": "personale", "label": {"it": "Personale degli enti", "en": "Staff of public bodies"}, "quota": 20},
]
FIELDS = [
    {
        "key": "cena_sociale",
        "kind": "choice",
        "label": {"it": "Cena sociale del primo giorno", "en": "Congress dinner on the first day"},
        "required": True,
        "options": [
            {"key": "si", "label": {"it": "Partecipo", "en": "I will come"}, "limit": 25},
            {"key": "no", "label": {"it": "Non partecipo", "en": "I will not come"}},
        ],
    },
    {
        "key": "esigenze",
        "kind": "text",
        "label": {"it": "Esigenze alimentari o di accessibilità", "en": "Dietary or accessibility needs"},
        "max_length": 300,
    },
]
NEEDS = {3: "Pasto vegetariano", 8: "Accesso senza gradini alla sala", 17: "Senza glutine", 25: "Pasto vegetariano"}


@dataclass(frozen=True)
class Registrant:
    person: Person
    category: str | None = None
    answers: dict = field(default_factory=dict)
    workshop: str | None = None  # the Italian title of the workshop they choose

    def body(self) -> dict:
        return self.person.as_participant() | {
            "category": self.category,
            "answers": self.answers,
        }


@dataclass(frozen=True)
class EventPlan:
    """`slug` when the seed fixes it, else the event is found by `title_it`."""

    title_it: str
    registrants: tuple[Registrant, ...]
    slug: str | None = None
    categories: list = field(default_factory=list)
    fields: list = field(default_factory=list)
    day_checkins: int = 0  # the first N confirmed check in for the first day
    session_checkins: dict[str, int] = field(default_factory=dict)  # session title -> the first N confirmed


LAB_DIGITAL = "Laboratorio: progettare un servizio online"
LAB_ASSEMBLY = "Laboratorio: facilitare un'assemblea pubblica"


def _congress_registrant(position: int, person: Person) -> Registrant:
    elected = person.role.startswith(ELECTED)
    answers: dict = {"cena_sociale": "si" if position % 3 else "no"}
    if position in NEEDS:
        answers["esigenze"] = NEEDS[position]
    workshop = LAB_DIGITAL if position < 14 else LAB_ASSEMBLY if position < 22 else None
    return Registrant(person, "amministratori" if elected else "personale", answers, workshop)


def _plain(indices: range | tuple[int, ...]) -> tuple[Registrant, ...]:
    return tuple(Registrant(PEOPLE[i]) for i in indices)


PLANS = (
    EventPlan(
        "Congresso «Comuni digitali»",
        tuple(_congress_registrant(n, person) for n, person in enumerate(PEOPLE[:34])),
        slug=CONGRESS_SLUG,
        categories=CATEGORIES,
        fields=FIELDS,
        day_checkins=20,
        session_checkins={
            "Apertura dei lavori": 18,
            "Il comune come piattaforma": 16,
            "Identità digitale e accesso ai servizi": 8,
            "Bilanci partecipativi: esperienze a confronto": 7,
        },
    ),
    EventPlan("Bilancio partecipativo nei piccoli comuni", _plain(range(34, 44))),
    EventPlan("Appalti pubblici: il nuovo codice in pratica", _plain((21, 22, 35, 36, 40, 41, 42, 43))),
    EventPlan("Transizione digitale dei servizi comunali", _plain((1, 17, 24, 44, 37))),  # 3 seats: 2 wait
    EventPlan("Corso online: protezione dei dati negli enti locali", _plain((3, 5, 9, 11, 15, 19, 38, 39, 44))),
)
