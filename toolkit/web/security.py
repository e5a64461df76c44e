"""What keeps the pages of `draft serve` safe to open on a shared network: a signed double-submit
token against cross-site requests, and the headers every response carries.

Stateless like the rest: the token is a random value signed with the server's secret, held in a cookie
and repeated in each form. A request is accepted when both are present, equal and signed by this
secret, so any worker that shares the secret (DRAFT_SECRET) accepts it, and nothing is stored.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets

COOKIE = "draft_csrf"
FIELD = "_csrf"
SECRET_ENV = "DRAFT_SECRET"
HEADERS = {
    # Everything comes from the server itself: no script, style, font or image from elsewhere, no
    # inline script or style, no framing by another page, no form posted elsewhere.
    "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; "
                               "object-src 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}


def secret() -> bytes:
    """The signing secret: DRAFT_SECRET when set (the same for every worker), else random for this process."""
    configured = os.environ.get(SECRET_ENV, "")
    return configured.encode("utf-8") if configured else secrets.token_bytes(32)


def _signature(key: bytes, value: str) -> str:
    digest = hmac.new(key, value.encode("ascii"), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")


def new_token(key: bytes) -> str:
    value = secrets.token_urlsafe(24)
    return f"{value}.{_signature(key, value)}"


def signed(key: bytes, token: str | None) -> bool:
    """Whether a token was made with this secret."""
    if not token or token.count(".") != 1 or not token.isascii():
        return False
    value, signature = token.split(".")
    return hmac.compare_digest(signature, _signature(key, value))


def accepted(key: bytes, cookie: str | None, submitted: str | None) -> bool:
    """A state-changing request comes from a page of this server: the form repeats its signed cookie."""
    return (signed(key, cookie) and submitted is not None and submitted.isascii()
            and hmac.compare_digest(cookie, submitted))
