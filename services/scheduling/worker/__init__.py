"""Scheduling's worker process (started with `python -m services.scheduling.worker`)."""
