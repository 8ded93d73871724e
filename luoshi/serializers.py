"""JSON for backups: Django's own format, but times keep their microseconds.

Django's JSON encoder cuts times to milliseconds, so a restored audit entry
or report would not carry the time it was recorded at, and entries made in
the same millisecond would lose their order. Registered as ``exactjson`` in
SERIALIZATION_MODULES; Django's JSON deserializer reads it back unchanged.
"""
import datetime

from django.core.serializers import json
from django.core.serializers.json import DjangoJSONEncoder

Deserializer = json.Deserializer


class ExactEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, (datetime.datetime, datetime.time)):
            return o.isoformat()
        return super().default(o)


class Serializer(json.Serializer):
    def _init_options(self):
        super()._init_options()
        self.json_kwargs["cls"] = ExactEncoder
