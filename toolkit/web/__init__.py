"""`draft serve`: the questionnaire in a browser, with the directive previewed as it is answered.

`create_app()` is the WSGI application, for waitress (which `draft serve` runs) or any WSGI server.
"""
from __future__ import annotations


def create_app(secret: bytes | None = None):
    from .app import create_app as make

    return make(secret)
