"""Notifications' machine-facing HTTP: the JSON API and the .ics agenda feed."""
