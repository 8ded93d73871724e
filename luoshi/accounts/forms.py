import re

from django import forms
from django.utils.translation import gettext_lazy as _

from luoshi.accounts.models import Unit

STALE_UNIT_MESSAGE = _("Someone changed this unit after you opened the page. Reload it and make your change again.")

# Officials separate words with 、，, ; or new lines, in full or half width.
_SEPARATORS = re.compile(r"[、，,;；\n\r]+")


def split_words(text: str) -> list[str]:
    return [word.strip() for word in _SEPARATORS.split(text or "") if word.strip()]


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
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, unit: Unit, **kwargs):
        self.unit = unit
        kwargs.setdefault(
            "initial",
            {
                "short_name": unit.short_name,
                "aliases": "、".join(unit.aliases),
                "duties": unit.duties,
                "duty_keywords": "、".join(unit.duty_keywords),
                "version": unit.version,
            },
        )
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        data["aliases"] = split_words(data.get("aliases", ""))
        data["duty_keywords"] = split_words(data.get("duty_keywords", ""))
        return data


class UnitAdminForm(forms.ModelForm):
    """The admin's unit form, with the version it was loaded with: a stale save is refused, not applied."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Unit
        fields = "__all__"

    def clean_version(self):
        # The admin saves inside one transaction: the row stays locked from
        # this check to the save, so two saves of the same version cannot both pass.
        version = self.cleaned_data["version"]
        if self.instance.pk is None:
            return 1
        current = Unit.objects.select_for_update().values_list("version", flat=True).get(pk=self.instance.pk)
        if current != version:
            raise forms.ValidationError(STALE_UNIT_MESSAGE, code="stale")
        return current + 1
