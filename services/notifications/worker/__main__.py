"""`python -m services.notifications.worker` runs the worker (worker/main.py)."""

from __future__ import annotations

from .main import main

main()
