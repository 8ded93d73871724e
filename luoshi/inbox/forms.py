from django import forms
from django.utils.translation import gettext_lazy as _

from luoshi.inbox.models import Preference
from luoshi.tracking.models import Channel


class PreferenceForm(forms.Form):
    mode = forms.ChoiceField(label=_("Send my messages"), choices=Preference.Mode.choices, widget=forms.RadioSelect)
    robot = forms.ModelChoiceField(
        label=_("Send them to"),
        queryset=Channel.objects.filter(kind__in=[Channel.Kind.DINGTALK, Channel.Kind.WECOM], is_active=True),
        required=False,
        empty_label=_("my e-mail address"),
    )
