"""The operator's default privacy notice (version 1 of every event's chain):
what an event shows until its organisers publish a notice of their own. The
data controller's name and address come from the configuration and are
shown beside it, so the text itself never needs editing per installation."""

# ruff: noqa: E501  (prose: one paragraph per line, as the notice renderer reads it)
from __future__ import annotations

DEFAULT_VERSION = 1

TEXT_IT = """\
## Chi tratta i tuoi dati

Il titolare del trattamento è l'organizzatore indicato qui sotto. I dati servono a gestire la tua iscrizione a questo evento.

## Quali dati e perché

- nome, cognome, indirizzo e-mail, ente e ruolo, e le risposte al modulo d'iscrizione: per confermare l'iscrizione, gestire posti, liste d'attesa e laboratori e scriverti a proposito dell'evento;
- le presenze (registrazioni all'ingresso e rapporti delle piattaforme online): per calcolare le ore frequentate e rilasciare l'attestato;
- la data, l'ora e la versione di questa informativa quando la accetti.

La base giuridica è la tua richiesta di iscrizione (art. 6, par. 1, lett. b del Regolamento UE 2016/679) e, per le presenze e l'attestato, l'obbligo dell'organizzatore di documentarle.

## Per quanto tempo

I dati restano finché serve all'evento e poi per il periodo di conservazione stabilito dagli organizzatori (di norma un anno dalla fine dell'evento); poi vengono resi anonimi.

## I tuoi diritti

Dalla pagina della tua iscrizione (il link personale che ricevi per e-mail) puoi scaricare i tuoi dati e cancellarli in qualsiasi momento. Per gli altri diritti (rettifica, limitazione, opposizione) scrivi al recapito indicato qui sotto. Puoi anche proporre reclamo al Garante per la protezione dei dati personali (www.garanteprivacy.it).
"""

TEXT_EN = """\
## Who handles your data

The data controller is the organiser named below. Your data is used to manage your registration for this event.

## What data, and why

- first and last name, e-mail address, organisation and role, and your answers to the registration form: to confirm your registration, manage seats, waiting lists and workshops, and write to you about the event;
- attendance (check-ins at the door and online platforms' reports): to count the hours attended and issue the certificate;
- the date, time and version of this notice when you accept it.

The legal basis is your request to register (Art. 6(1)(b) of Regulation (EU) 2016/679) and, for attendance and certificates, the organiser's duty to document them.

## For how long

Your data is kept while the event needs it and then for the retention period the organisers set (usually one year after the event ends); then it is anonymised.

## Your rights

From your registration's page (the personal link you receive by e-mail) you can download your data and erase it at any time. For your other rights (rectification, restriction, objection) write to the contact below. You may also lodge a complaint with the Italian data protection authority (www.garanteprivacy.it).
"""
