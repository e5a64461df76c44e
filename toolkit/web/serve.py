"""Run the web application with waitress: pure Python, the same on Windows as on Linux, threads in one
process. Several processes behind a reverse proxy serve many users (README, "Serving many users").
"""
from __future__ import annotations

import gc
import ipaddress
import logging
import threading
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from .. import api, i18n
from ..answers import Answers
from ..errors import OptionError, Problem
from ..i18n import _
from . import memory


@dataclass(frozen=True)
class ServeOptions:
    host: str = "127.0.0.1"
    port: int = 8000
    open_browser: bool = False
    threads: int = 4
    behind_proxy: bool = False     # trust the X-Forwarded-* headers of one reverse proxy in front


def loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def warm() -> None:
    """Load and compose once in every language what each request needs, and start LibreOffice, so that the
    first official does not wait for it; then keep it out of the garbage collector's reach for the life of
    the process."""
    values = dict(api.questionnaire().defaults())
    for question in api.questionnaire():
        if question.required:
            values[question.key] = date(2026, 1, 1) if question.type == "date" else "—"
    from .preview import preview

    for lang in i18n.languages():
        preview(Answers(values), lang)
    from ..render import office

    found = office.find()
    if not isinstance(found, str):   # the first download lays out in a soffice already running
        threading.Thread(target=office.kept(found).start, daemon=True).start()
    memory.release()
    gc.freeze()


def trust_proxy(app) -> None:
    """Take the address, scheme and host of a request from the one reverse proxy in front, so that
    behind HTTPS the token's cookie is marked Secure."""
    from werkzeug.middleware.proxy_fix import ProxyFix

    app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)


def run(options: ServeOptions, say: Callable[[str], None]) -> None:
    """Serve until interrupted; say the address once listening."""
    from waitress import create_server

    from . import create_app

    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # requests waiting their turn are no news
    if options.threads < 1:
        raise OptionError(Problem(_("expected a number of threads of 1 or more, found %(found)s",
                                    found=options.threads), field="--threads"))
    app = create_app()
    if options.behind_proxy:
        trust_proxy(app)
    try:
        server = create_server(app, host=options.host, port=options.port, threads=options.threads,
                               ident="draft", max_request_body_size=4 * 1024 * 1024)
    except (OSError, ValueError) as e:
        why = getattr(e, "strerror", None) or str(e)
        raise OptionError(Problem(_("cannot listen on %(host)s port %(port)s: %(why)s; choose another with --port "
                                    "or --host", host=options.host, port=options.port, why=why),
                                  field="--host/--port")) from None
    warm()
    host = f"[{options.host}]" if ":" in options.host else options.host
    url = f"http://{host}:{server.effective_port}/"
    say(_("The questionnaire is at %(url)s — press Ctrl-C to stop.", url=url))
    if not loopback(options.host):
        say(_("note: listening beyond this computer: anyone who can reach it can use the questionnaire. Put it "
              "behind a reverse proxy with HTTPS (README, \"Serving many users\")."))
    if options.open_browser:
        threading.Timer(0.5, webbrowser.open, (url,)).start()
    try:
        server.run()
    except KeyboardInterrupt:
        say(_("stopped"))
    finally:
        server.close()
