"""A Content-Security-Policy on every response: script runs only from our own static files.

A stored name that slips through escaping somewhere (a chart tooltip, a
third-party widget) can then not run: inline ``<script>``, ``on…=``
attributes and ``javascript:`` URLs are refused by the browser. Pages
therefore keep all their behaviour in static files (luoshi/static/luoshi/
luoshi.js for small things such as confirmations). Styles may be inline:
the templates use a few style attributes, and they cannot run code.
"""
from __future__ import annotations

POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", POLICY)
        return response
