"""English for notifications' organiser pages: mail and parked messages."""
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
}
