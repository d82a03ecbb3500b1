"""Forms for the pages of the record (people, organisations, asks, notes). They only parse and
validate input; writes go through actions."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kring.people.models import Channel, Favour, Initiator, Organisation, Tier


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.replace(",", "\n").splitlines() if line.strip()]


class PersonForm(forms.Form):
    given_name = forms.CharField(label=_("Given name"), max_length=100)
    particles = forms.CharField(
        label=_("Particles"), max_length=30, required=False, help_text=_("van, de, van der, …")
    )
    surname = forms.CharField(label=_("Surname"), max_length=150, required=False)
    title = forms.CharField(label=_("Role"), max_length=150, required=False)
    organisation_name = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    emails = forms.CharField(
        label=_("E-mail addresses"),
        required=False,
        help_text=_("One per line"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    phones = forms.CharField(
        label=_("Phone numbers"),
        required=False,
        help_text=_("One per line"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    linkedin_url = forms.URLField(label=_("LinkedIn"), required=False, assume_scheme="https")
    sector = forms.CharField(label=_("Sector"), max_length=100, required=False)
    region = forms.CharField(label=_("Region"), max_length=100, required=False)
    languages = forms.CharField(label=_("Languages"), max_length=60, required=False)
    birthday = forms.DateField(
        label=_("Birthday"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    interests = forms.CharField(
        label=_("Interests"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    hobbies = forms.CharField(
        label=_("Hobbies"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    family_notes = forms.CharField(
        label=_("Family"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    tags = forms.CharField(label=_("Tags"), required=False, help_text=_("Separated by commas"))

    def clean_emails(self) -> list[str]:
        return _lines(self.cleaned_data["emails"])

    def clean_phones(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["phones"].splitlines() if line.strip()]

    def clean_tags(self) -> list[str]:
        return _lines(self.cleaned_data["tags"])


class NewPersonForm(PersonForm):
    tier = forms.ChoiceField(label=_("Tier"), choices=Tier.choices, initial=Tier.B)
    how_met = forms.CharField(label=_("How we met"), max_length=200, required=False)
    private_notes = forms.CharField(
        label=_("Private notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class RelationshipForm(forms.Form):
    tier = forms.ChoiceField(label=_("Tier"), choices=Tier.choices)
    how_met = forms.CharField(label=_("How we met"), max_length=200, required=False)
    private_notes = forms.CharField(
        label=_("Private notes"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    snoozed_until = forms.DateField(
        label=_("Snoozed until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    dont_contact_before = forms.DateField(
        label=_("Do not contact before"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    stars = forms.TypedChoiceField(
        label=_("My stars"),
        choices=[(n, "☆" if n == 0 else "★" * n) for n in range(4)],
        coerce=int,
        initial=0,
    )


class QuickLogForm(forms.Form):
    """The five-minute contact: channel, minutes, who started it, a line of summary."""

    same_for_everyone = True  # its empty HTML is cached: kring.web.templatetags

    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices, initial=Channel.CALL)
    minutes = forms.IntegerField(label=_("Minutes"), min_value=1, max_value=1440, initial=5)
    initiated_by = forms.ChoiceField(label=_("Who started it"), choices=Initiator.choices)
    answered = forms.TypedChoiceField(
        label=_("Answered"),
        choices=[("", _("Not applicable")), ("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda v: {"yes": True, "no": False}.get(v),
        empty_value=None,
        required=False,
    )
    occurred_at = forms.DateTimeField(
        label=_("When"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
    )
    summary = forms.CharField(label=_("Summary"), max_length=500, required=False)


class NoteForm(forms.Form):
    same_for_everyone = True  # its empty HTML is cached: kring.web.templatetags

    text = forms.CharField(label=_("What they told you"), widget=forms.Textarea(attrs={"rows": 2}))
    tags = forms.CharField(label=_("Tags"), required=False)
    noted_on = forms.DateField(
        label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean_tags(self) -> list[str]:
        return _lines(self.cleaned_data["tags"])


class FavourForm(forms.Form):
    same_for_everyone = True  # its empty HTML is cached: kring.web.templatetags

    direction = forms.ChoiceField(label=_("Direction"), choices=Favour.Direction.choices)
    kind = forms.ChoiceField(label=_("Kind"), choices=Favour.Kind.choices)
    value_eur = forms.DecimalField(
        label=_("Value (€)"), required=False, min_value=0, max_digits=12, decimal_places=2
    )
    occurred_on = forms.DateField(
        label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    description = forms.CharField(label=_("Description"), max_length=300, required=False)


class AskForm(forms.Form):
    same_for_everyone = True  # its empty HTML is cached: kring.web.templatetags

    text = forms.CharField(label=_("Whom or what are you looking for?"), max_length=500)
    role = forms.CharField(label=_("Role"), max_length=150, required=False)
    sector = forms.CharField(label=_("Sector"), max_length=100, required=False)
    region = forms.CharField(label=_("Region"), max_length=100, required=False)
    organisation_name = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    valid_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    valid_to = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict:
        data = super().clean() or {}
        start, end = data.get("valid_from"), data.get("valid_to")
        if start and end and end < start:
            self.add_error("valid_to", _("The end date comes before the start date."))
        return data


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    sector = forms.CharField(label=_("Sector"), max_length=100, required=False)
    size = forms.ChoiceField(
        label=_("Size"), required=False, choices=[("", "—"), *Organisation.Size.choices]
    )
    region = forms.CharField(label=_("Region"), max_length=100, required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    tags = forms.CharField(label=_("Tags"), required=False, help_text=_("Separated by commas"))

    def clean_tags(self) -> list[str]:
        return _lines(self.cleaned_data["tags"])


class CompetitorsForm(forms.Form):
    competes_with = forms.ModelMultipleChoiceField(
        label=_("Competes with"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    def __init__(self, *args: object, organisations: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["competes_with"].queryset = organisations  # type: ignore[attr-defined]
