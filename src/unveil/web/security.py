"""Security headers on every response, and the cookie settings of sessions.

The Content-Security-Policy allows scripts, styles, images and connections from this server only:
no inline script, no ``eval``, no frames, no plugins, forms posting only here. Pages that show a
raw capture set their own, stricter policy (``sandbox``), which ``with_security_headers`` leaves in place.
"""

from __future__ import annotations

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "font-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'; object-src 'none'"
)

SECURITY_HEADERS: dict[str, str] = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=()",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
}

ENCODED_HEADERS = tuple((name.encode(), value.encode()) for name, value in SECURITY_HEADERS.items())
NO_STORE = (b"cache-control", b"no-store")

SESSION_COOKIE = "unveil_session"
LOGIN_CSRF_COOKIE = "unveil_login_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"


def with_security_headers(headers: list[tuple[bytes, bytes]], is_static: bool) -> list[tuple[bytes, bytes]]:
    """A response's headers with ``SECURITY_HEADERS`` it did not set itself, and no-store caching
    unless it is a static file or says otherwise (``frame.RequestFrame`` calls it on every response)."""
    present = {name.lower() for name, _ in headers}
    headers += [header for header in ENCODED_HEADERS if header[0] not in present]
    if not is_static and NO_STORE[0] not in present:
        headers.append(NO_STORE)
    return headers
