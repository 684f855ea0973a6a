"""Security headers on every response.

The Content-Security-Policy allows scripts from the app itself and, on a page, only the inline
scripts that page was rendered with: each one's SHA-256 is computed from the response and named
in the policy (folium renders the map's set-up as inline scripts with names that change per
render, so a fixed list of hashes cannot be kept). Any other inline or injected script is
refused by the browser. Styles may be inline (the legend's colour chips, Leaflet's layout);
images come from the app, ``data:`` URIs (marker icons) and the tile hosts a deployment offers;
nothing may frame the app.
"""

from __future__ import annotations

import base64
import hashlib
import re
from urllib.parse import urlsplit

from flask import Flask, Response, current_app

from webapp.config import BASEMAPS

__all__ = ["content_security_policy", "page_policy", "register_security_headers"]

# An inline script the browser runs: no src, and not a JSON data block.
_INLINE_SCRIPT = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>(.*?)</script>",
    re.DOTALL,
)


def content_security_policy(html: str | None, tile_hosts: tuple[str, ...] = ()) -> str:
    """The policy for a response: ``html`` is the page's text (its inline scripts are hashed),
    or ``None`` for anything else."""
    hashes = [] if html is None else [_digest(script) for script in _INLINE_SCRIPT.findall(html)]
    scripts = " ".join(["'self'", *dict.fromkeys(f"'sha256-{h}'" for h in hashes)])
    images = " ".join(["'self'", "data:", *(f"https://{host}" for host in tile_hosts)])
    return (
        f"default-src 'self'; script-src {scripts}; style-src 'self' 'unsafe-inline'; "
        f"img-src {images}; connect-src 'self'; font-src 'self'; object-src 'none'; "
        "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )


def _digest(script: str) -> str:
    return base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")


def page_policy(html: str) -> str:
    """The policy of a page of this app (its inline scripts, the app's tile hosts)."""
    hosts: tuple[str, ...] = current_app.extensions["atlas_tile_hosts"]
    return content_security_policy(html, hosts)


def register_security_headers(app: Flask) -> None:
    """Add the policy, ``nosniff``, a referrer policy and no framing to every response.

    A view that keeps its page (compressed) sets the page's policy itself, with
    :func:`page_policy`; every other HTML response is read here for its inline scripts.
    """
    offered = () if app.config["ATLAS_OFFLINE"] else app.config["ATLAS_TILES"]
    tile_hosts = tuple(
        host for key in offered if (host := urlsplit(BASEMAPS[key][1]).hostname) is not None
    )
    app.extensions["atlas_tile_hosts"] = tile_hosts

    @app.after_request
    def secure(response: Response) -> Response:
        html = None
        plain = "Content-Encoding" not in response.headers and not response.direct_passthrough
        if response.mimetype == "text/html" and plain:
            html = response.get_data(as_text=True)
        headers = response.headers
        headers.setdefault("Content-Security-Policy", content_security_policy(html, tile_hosts))
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("X-Frame-Options", "DENY")
        return response
