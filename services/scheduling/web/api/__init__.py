"""Scheduling's JSON API (flask-smorest blueprints) and the public schedule files."""
