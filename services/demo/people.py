"""The demo's fictitious participants: Italian names, the municipality or
body they work for and their role. A fixed list (no random data), so that
every `make run` shows the same people and a second run finds them all."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Person:
    first_name: str
    last_name: str
    organisation: str
    role: str
    locale: str = "it"

    @property
    def email(self) -> str:
        """name.surname@example.org, in ASCII (example.org receives no mail)."""
        name = f"{self.first_name}.{self.last_name}".lower().replace(" ", "").replace("'", "")
        return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode() + "@example.org"

    def as_participant(self) -> dict:
        return {
            "first_name": self.first_name,
            "last_name": self.last_name,
            "email": self.email,
            "organisation": self.organisation,
            "role": self.role,
            "locale": self.locale,
        }


PEOPLE = (
    Person("Marco", "Rossi", "Comune di Bergamo", "Sindaco"),
    Person("Giulia", "Bianchi", "Comune di Bergamo", "Responsabile servizi informativi"),
    Person("Alessandro", "Conti", "Comune di Lucca", "Assessore al bilancio"),
    Person("Sara", "De Luca", "Comune di Lucca", "Funzionaria amministrativa"),
    Person("Matteo", "Gallo", "Comune di Pesaro", "Istruttore tecnico"),
    Person("Federica", "Costa", "Comune di Pesaro", "Segretaria comunale"),
    Person("Lorenzo", "Fontana", "Comune di Matera", "Consigliere comunale"),
    Person("Martina", "Caruso", "Comune di Matera", "Responsabile ufficio tributi"),
    Person("Davide", "Mancini", "Comune di Cremona", "Assessore all'innovazione"),
    Person("Valentina", "Rizzo", "Comune di Cremona", "Funzionaria dei servizi sociali"),
    Person("Niccolò", "Lombardi", "Comune di Trento", "Sindaco"),
    Person("Elisa", "Moretti", "Comune di Trento", "Responsabile protocollo"),
    Person("Simone", "Barbieri", "Comune di Lecce", "Vicesindaco"),
    Person("Chiara", "Ferraro", "Comune di Lecce", "Istruttrice amministrativa"),
    Person("Andrea", "Santoro", "Comune di Perugia", "Dirigente area tecnica"),
    Person("Ilaria", "Marchetti", "Comune di Perugia", "Funzionaria URP"),
    Person("Gabriele", "Leone", "Comune di Modena", "Consigliere comunale"),
    Person("Beatrice", "Longo", "Comune di Modena", "Responsabile transizione digitale"),
    Person("Riccardo", "Gentile", "Comune di Cosenza", "Assessore ai lavori pubblici"),
    Person("Alice", "Martinelli", "Comune di Cosenza", "Istruttrice contabile"),
    Person("Tommaso", "Vitale", "Comune di Udine", "Sindaco"),
    Person("Giorgia", "Serra", "Comune di Udine", "Funzionaria appalti"),
    Person("Pietro", "Coppola", "Comune di Sassari", "Assessore alla partecipazione"),
    Person("Aurora", "D'Angelo", "Comune di Sassari", "Responsabile anagrafe"),
    Person("Emanuele", "Silvestri", "Comune di Ascoli Piceno", "Istruttore informatico"),
    Person("Camilla", "Pellegrini", "Comune di Ascoli Piceno", "Funzionaria cultura"),
    Person("Filippo", "Palumbo", "Comune di Novara", "Consigliere comunale"),
    Person("Noemi", "Sanna", "Comune di Novara", "Responsabile polizia locale"),
    Person("Jacopo", "Farina", "Unione dei Comuni della Valle", "Presidente"),
    Person("Greta", "Monti", "Unione dei Comuni della Valle", "Segretaria"),
    Person("Daniele", "Cattaneo", "Comune di Bergamo", "Istruttore tecnico"),
    Person("Francesca", "Morelli", "Comune di Lucca", "Responsabile ufficio stampa"),
    Person("Luca", "Amato", "Comune di Pesaro", "Assessore all'ambiente"),
    Person("Elena", "Testa", "Comune di Matera", "Funzionaria turismo"),
    Person("Stefano", "Grasso", "Comune di Cremona", "Dirigente servizi finanziari"),
    Person("Anna", "Pace", "Università degli Studi", "Dottoranda", "en"),
    Person("Paolo", "Villa", "Università degli Studi", "Ricercatore"),
    Person("Marta", "Ferri", "Comune di Trento", "Istruttrice amministrativa"),
    Person("Giovanni", "Parisi", "Comune di Lecce", "Consigliere comunale"),
    Person("Sofia", "Bellini", "Comune di Perugia", "Funzionaria scuola", "en"),
    Person("Francesco", "Basile", "Comune di Modena", "Istruttore contabile"),
    Person("Laura", "Riva", "Comune di Cosenza", "Responsabile personale"),
    Person("Antonio", "Donati", "Comune di Udine", "Assessore al bilancio"),
    Person("Roberta", "Marini", "Comune di Sassari", "Funzionaria tributi"),
    Person("Michele", "Fabbri", "Comune di Novara", "Responsabile servizi informativi"),
)
