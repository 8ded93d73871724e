"""Who is guessing passwords: the client's address, and the limits django-axes applies to it.

Behind the reverse proxy every request comes from the proxy's address, so a
lockout keyed on REMOTE_ADDR would lock the whole district out at once. The
address the proxy saw is in the header it sets (``X-Forwarded-For`` or
``X-Real-IP``), but a client can send that header too: it is read only when
``LUOSHI_TRUSTED_PROXY_HEADER`` names it, and then only the entry the
trusted proxies appended (the ``LUOSHI_TRUSTED_PROXY_COUNT``-th from the
right), never what the client wrote before it.

Two limits apply: ``LUOSHI_LOGIN_FAILURE_LIMIT`` failures for one user name
from one address, and ``LUOSHI_LOGIN_ADDRESS_FAILURE_LIMIT`` failures from
one address whatever the user names (password spraying: a few passwords
tried on many accounts).
"""
import ipaddress

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum


def client_address(request) -> str:
    """The client's IP address: from the trusted proxy's header when one is configured, else REMOTE_ADDR."""
    remote = request.META.get("REMOTE_ADDR", "")
    header = settings.LUOSHI_TRUSTED_PROXY_HEADER
    if not header:
        return remote
    value = request.META.get("HTTP_" + header.upper().replace("-", "_"), "")
    entries = [entry.strip() for entry in value.split(",") if entry.strip()]
    if len(entries) < settings.LUOSHI_TRUSTED_PROXY_COUNT:
        # The proxy did not set it: the request did not come through the proxy.
        return remote
    candidate = entries[-settings.LUOSHI_TRUSTED_PROXY_COUNT]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


class LockoutHandler(AxesDatabaseHandler):
    """Axes' database handler with a second, higher limit for all failures from one address.

    Axes compares one count with one limit. The count given here is the
    larger of the (user name, address) failures and the address's failures
    shifted down by the difference of the two limits, so that it reaches
    the limit exactly when either of the two does.
    """

    def get_failures(self, request, credentials=None) -> int:
        per_user_and_address, per_address = (
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        shift = settings.LUOSHI_LOGIN_ADDRESS_FAILURE_LIMIT - settings.AXES_FAILURE_LIMIT
        return max(per_user_and_address, per_address - shift)

    def reset_user_attempts(self, request, credentials=None) -> int:
        # A good password forgives that user's mistakes from that address,
        # not the address's: otherwise a sprayer who knows one password could
        # log in now and then and start counting from zero again.
        per_user_and_address = self.filter_user_attempts(request, credentials)[0]
        deleted, _by_model = per_user_and_address.delete()
        return deleted
