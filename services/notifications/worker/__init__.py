"""Notifications' processes: the worker (`python -m services.notifications.worker`)
and the separate SMTP sender (`python -m services.notifications.worker.sender`)."""
