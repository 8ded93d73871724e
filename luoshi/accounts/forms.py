import hashlib
import json
import re

from django import forms
from django.utils.translation import gettext_lazy as _

from luoshi.accounts.models import Unit

# Officials separate words with 、，, ; or new lines, in full or half width.
_SEPARATORS = re.compile(r"[、，,;；\n\r]+")


def split_words(text: str) -> list[str]:
    return [word.strip() for word in _SEPARATORS.split(text or "") if word.strip()]


def unit_fingerprint(unit: Unit) -> str:
    """A digest of the editable fields, so an edit based on a stale page is caught."""
    data = [unit.short_name, unit.aliases, unit.duties, unit.duty_keywords]
    return hashlib.sha256(json.dumps(data, ensure_ascii=False).encode()).hexdigest()[:16]


class UnitForm(forms.Form):
    short_name = forms.CharField(label=_("Short name"), max_length=40, required=False)
    aliases = forms.CharField(
        label=_("Aliases"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Other names used in plan text, separated by 、 or commas."),
    )
    duties = forms.CharField(label=_("Duties"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    duty_keywords = forms.CharField(
        label=_("Duty keywords"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Words from the unit's remit as they appear in plans; they drive the lead-unit suggestions."),
    )
    fingerprint = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, unit: Unit, **kwargs):
        self.unit = unit
        kwargs.setdefault(
            "initial",
            {
                "short_name": unit.short_name,
                "aliases": "、".join(unit.aliases),
                "duties": unit.duties,
                "duty_keywords": "、".join(unit.duty_keywords),
                "fingerprint": unit_fingerprint(unit),
            },
        )
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        if data.get("fingerprint") and data["fingerprint"] != unit_fingerprint(self.unit):
            raise forms.ValidationError(
                _("Someone changed this unit after you opened the page. Reload it and make your change again."),
                code="stale",
            )
        data["aliases"] = split_words(data.get("aliases", ""))
        data["duty_keywords"] = split_words(data.get("duty_keywords", ""))
        return data
