"""`<int:...>` in every service's routes stops at PostgreSQL's integer: a
larger id in a path is a 404 like any unknown id (it used to reach the
database and fail there with a 500), and the OpenAPI documents say so."""

from __future__ import annotations

import pytest
from flask import Flask
from werkzeug.exceptions import NotFound

from shared.web.converters import install_converters
from shared.web.fields import MAX_ID


def app_with_a_route(bounded: bool) -> Flask:
    app = Flask(__name__)
    if bounded:
        install_converters(app)
    app.add_url_rule("/mail/<int:delivery_id>", "mail", lambda delivery_id: str(delivery_id))
    return app


def test_an_id_beyond_a_postgresql_integer_matches_no_route():
    urls = app_with_a_route(bounded=True).url_map.bind("localhost")
    assert urls.match(f"/mail/{MAX_ID}") == ("mail", {"delivery_id": MAX_ID})
    with pytest.raises(NotFound):
        urls.match(f"/mail/{MAX_ID + 1}")


def test_the_control_without_the_converter_lets_it_through():
    urls = app_with_a_route(bounded=False).url_map.bind("localhost")
    assert urls.match(f"/mail/{MAX_ID + 1}") == ("mail", {"delivery_id": MAX_ID + 1})


def test_an_explicit_maximum_still_wins():
    app = Flask(__name__)
    install_converters(app)
    app.add_url_rule("/s/<int(max=9):n>", "s", lambda n: str(n))
    with pytest.raises(NotFound):
        app.url_map.bind("localhost").match("/s/10")
