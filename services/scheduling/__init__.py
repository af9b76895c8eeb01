"""Scheduling: organisations, organiser accounts, events and programmes."""
