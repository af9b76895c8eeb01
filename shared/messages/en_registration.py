"""English for registration's pages: registrations, waiting lists, check-in, changes."""
# ruff: noqa: E501 (a catalogue: one translation a line reads best)

EN = {
    "%(n)s iscrizioni trovate.": "%(n)s registrations found.", "Approva": "Approve", "Categoria": "Category",
    "Categoria %(code)s": "Category %(code)s", "Cerca iscrizioni": "Search registrations",
    "Cerca per nome": "Search by name", "Check-in": "Check-in",
    "Check-in non riuscito: %(reason)s": "Check-in failed: %(reason)s", "Check-in fatto: %(name)s.": "Checked in: %(name)s.",
    "%(name)s era già registrato.": "%(name)s was already checked in.", "Codice del QR": "QR code",
    "Annullata": "Cancelled", "Cognome": "Surname", "Confermata": "Confirmed", "Ente o comune": "Organisation or municipality",
    "Esporta CSV": "Export CSV", "Esporta Excel (XLSX)": "Export Excel (XLSX)", "Fatto: %(n)s iscrizioni.": "Done: %(n)s registrations.",
    "Fotocamera": "Camera", "In attesa di approvazione": "Awaiting approval", "In lista d'attesa": "On the waiting list",
    "Inquadra il QR code con la fotocamera, oppure incolla il codice.": "Point the camera at the QR code, or paste the code.",
    "Iscritto il": "Registered on", "Iscrizione annullata.": "Registration cancelled.", "Iscrizioni": "Registrations",
    "Iscrizioni scelte in attesa di approvazione": "Chosen registrations awaiting approval",
    "La tua iscrizione": "Your registration", "Lingua delle comunicazioni": "Language for our messages",
    "Liste d'attesa": "Waiting lists", "Modifica la tua iscrizione": "Change your registration",
    "Motivo (per chi non viene approvato)": "Reason (for those not approved)",
    "Nessuna iscrizione confermata con questo nome.": "No confirmed registration with this name.",
    "Nessuna iscrizione.": "No registrations.", "Nessuno in attesa.": "Nobody waiting.",
    "Nome, e-mail o ente": "Name, e-mail or organisation", "Non approvata": "Not approved",
    "Offerta scaduta": "Offer expired", "Pagine": "Pages", "Posto offerto": "Seat offered",
    "Registra l'ingresso": "Check in", "Richiesto": "Requested", "Rifiuta": "Reject",
    "Risultati per «%(q)s»": "Results for “%(q)s”", "Ruolo": "Role", "Scegli": "Choose", "Scegli %(name)s": "Choose %(name)s",
    "Scegli almeno un'iscrizione e un'azione.": "Choose at least one registration and an action.",
    "Si sovrappone a: %(titles)s": "Overlaps: %(titles)s", "Usa la fotocamera": "Use the camera",
    "Workshop: %(title)s": "Workshop: %(title)s", "entrato": "checked in", "pieno: lista d'attesa": "full: waiting list",
    "posti liberi: %(n)s": "seats left: %(n)s",
}
