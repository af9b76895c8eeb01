"""The embedded default's single WSGI app: the three services mounted under
their prefixes on one port, with / leading to the event list. Production
runs one gunicorn per service behind nginx with the same prefixes."""

from __future__ import annotations

from werkzeug.middleware.dispatcher import DispatcherMiddleware
from werkzeug.utils import redirect


def _home(environ, start_response):
    return redirect("/scheduling/", code=302)(environ, start_response)


def create_gateway():
    from services.notifications.app import create_app as notifications
    from services.registration.app import create_app as registration
    from services.scheduling.app import create_app as scheduling

    return DispatcherMiddleware(
        _home,
        {
            "/scheduling": scheduling(),
            "/registration": registration(),
            "/notifications": notifications(),
        },
    )
