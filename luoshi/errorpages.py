"""The demo's visitors see the site's Chinese 404 page, not Django's debug page.

The demo runs with DEBUG on (runserver serves the static files, cookies work
over plain http), and with DEBUG on Django answers a missing page with its
technical 404, in English, listing every URL pattern. A page the demo's
visitor can reach must look like the real site, so while the demo day is set
(LUOSHI_DEMO_TODAY) this middleware answers a 404 with the project's own
page. A 403 needs nothing: Django renders 403.html whatever DEBUG says.
"""
from django.conf import settings
from django.http import Http404
from django.urls import Resolver404, get_resolver
from django.views import defaults


def _demo_with_debug() -> bool:
    return bool(settings.DEBUG and settings.LUOSHI_DEMO_TODAY)


class DemoErrorPagesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _demo_with_debug():
            # An address no URL pattern matches never reaches process_exception.
            try:
                get_resolver(getattr(request, "urlconf", None)).resolve(request.path_info)
            except Resolver404 as exc:
                return defaults.page_not_found(request, exc)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, Http404) and _demo_with_debug():
            return defaults.page_not_found(request, exception)
        return None
