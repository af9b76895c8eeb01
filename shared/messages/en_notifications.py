"""English for notifications' pages: mail, parked messages, the participant's agenda."""
# ruff: noqa: E501 (a catalogue: one translation a line reads best)

EN = {
    "%(n)s tentativi": "%(n)s attempts", "A": "To", "Filtra la posta": "Filter the mail",
    "Il contenuto delle e-mail si vede solo nella modalità dimostrativa.": "Mail content is shown only in the demo mode.",
    "Inviata": "Sent", "Invito di calendario": "Calendar invitation", "Messaggi bloccati del bus": "Parked bus messages",
    "Messaggi che il servizio notifiche non è riuscito a elaborare dopo vari tentativi. Correggi la causa, poi rimettili in coda.":
        "Messages the notifications service could not handle after several attempts. Fix the cause, then replay them.",
    "Messaggi rimessi in coda: %(n)s.": "Messages replayed: %(n)s.", "Messaggio": "Message", "Motivo": "Reason",
    "Nessun messaggio bloccato.": "No parked messages.", "Nessuna e-mail inviata finora.": "No e-mail sent yet.",
    "Non recapitata": "Not delivered", "Oggetto": "Subject", "Posta inviata": "Sent mail",
    "Rimetti in coda i messaggi scelti": "Replay the chosen messages", "Tentativi": "Attempts", "Testo": "Text",
    # the participant's agenda page and the demo mail page
    "L'evento e i laboratori in cui hai un posto, sempre aggiornati.": "The event and the workshops you hold a seat in, kept up to date.",
    "Google aggiorna ogni qualche ora": "Google refreshes every few hours", "Indirizzo da copiare:": "Address to copy:",
    "Il calendario è stato revocato.": "The calendar was revoked.",
    "Nuovo indirizzo (il vecchio smette di funzionare)": "New address (the old one stops working)",
    "Crea un nuovo indirizzo": "Create a new address", "Revoca": "Revoke",
    "In coda": "Queued", "stato": "status", "Scarica .eml": "Download .eml", "Parti e allegati": "Parts and attachments",
    "%(n)s byte": "%(n)s bytes", "Anteprima HTML": "HTML preview",
    "Invito di calendario (text/calendar)": "Calendar invitation (text/calendar)",
}
