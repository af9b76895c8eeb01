"""Scheduling's HTML pages: the public event list and event pages, the
organisers' login, and their pages for events, programme items and the schedule."""
