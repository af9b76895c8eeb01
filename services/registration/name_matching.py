"""Names compared the way people write them in a webinar: accents folded,
case and punctuation ignored, "Last, First" as "First Last", the order of
the words free. Used to propose a registration for an attendee whose
address is not the one they registered with."""

from __future__ import annotations

import re
import unicodedata

from .models import Registration


def name_key(name: str) -> frozenset[str]:
    """The words of a name, lower case and without accents ("Bianchi, Anna Maria" == "anna maria bianchi")."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return frozenset(word for word in re.split(r"[^a-z0-9]+", folded) if word)


def proposals(name: str, candidates: list[Registration]) -> list[Registration]:
    """The registrations whose first and last names are the attendee's words, in any order."""
    key = name_key(name)
    if len(key) < 2:  # one word ("Anna", "iPhone") proposes nobody
        return []
    return [r for r in candidates if name_key(f"{r.first_name} {r.last_name}") == key]
