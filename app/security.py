"""Security headers on every response, caching rules for static files, and the refusal
of requests for a host that is not ours."""

from flask import Flask, Response, request
from werkzeug.exceptions import SecurityError

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'; "
    "connect-src 'self'"
)


def refuse_untrusted_hosts(app: Flask) -> None:
    """A Host header outside TRUSTED_HOSTS gets a plain 400 before anything else runs.

    Flask checks the header against TRUSTED_HOSTS while it builds the URL adapter and
    keeps the SecurityError as the routing error, raised only after every before_request
    function has run, and with no adapter to build a URL: our error page could not be
    drawn. So this hook is registered first and answers in plain text."""

    @app.before_request
    def untrusted_host():
        if isinstance(request.routing_exception, SecurityError):
            return Response("Bad request: unknown host.\n", 400, mimetype="text/plain")
        return None


def init_app(app: Flask) -> None:
    @app.after_request
    def set_security_headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CSP)
        headers["X-Content-Type-Options"] = "nosniff"
        headers["X-Frame-Options"] = "DENY"
        headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
        headers["Cross-Origin-Opener-Policy"] = "same-origin"
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()"
        if request.is_secure:
            headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        if request.endpoint == "static":
            if request.args.get("v"):
                headers["Cache-Control"] = "public, max-age=31536000, immutable"
        else:
            # Pages may hold personal data: never keep them in a shared office PC's cache.
            headers["Cache-Control"] = "no-store"
            response.vary.add("HX-Request")
        return response
