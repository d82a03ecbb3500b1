"""The record: people, organisations, relationships and everything that happens in them.

Every row belongs to one user (``owner``): a person in my file is my knowledge of them. What
other members of a workspace may see is decided per relationship by a :class:`Share`.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from kring.core.names import display_name, sort_key


class Tag(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=60)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["owner", "name"], name="tag_unique_name")]

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    class Size(models.TextChoices):
        MICRO = "1-9", _("1–9 people")
        SMALL = "10-49", _("10–49 people")
        MEDIUM = "50-249", _("50–249 people")
        LARGE = "250+", _("250 or more")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="organisations"
    )
    name = models.CharField(_("name"), max_length=200)
    sector = models.CharField(_("sector"), max_length=100, blank=True)
    size = models.CharField(_("size"), max_length=10, choices=Size.choices, blank=True)
    region = models.CharField(_("region"), max_length=100, blank=True)
    website = models.URLField(_("website"), blank=True)
    competes_with = models.ManyToManyField(
        "self", symmetrical=True, blank=True, verbose_name=_("competes with")
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="organisations")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["owner", "name"])]

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="people"
    )
    given_name = models.CharField(_("given name"), max_length=100)
    particles = models.CharField(
        _("particles"), max_length=30, blank=True, help_text=_("van, de, van der, …")
    )
    surname = models.CharField(_("surname"), max_length=150, blank=True)
    sort_name = models.CharField(max_length=300, editable=False, db_index=True)
    linkedin_url = models.URLField(_("LinkedIn"), blank=True)
    title = models.CharField(_("role"), max_length=150, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("organisation"),
    )
    sector = models.CharField(_("sector"), max_length=100, blank=True)
    region = models.CharField(_("region"), max_length=100, blank=True)
    languages = models.CharField(_("languages"), max_length=60, blank=True)
    birthday = models.DateField(_("birthday"), null=True, blank=True)
    interests = models.TextField(_("interests"), blank=True)
    hobbies = models.TextField(_("hobbies"), blank=True)
    family_notes = models.TextField(_("family"), blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="people")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["sort_name"]
        indexes = [models.Index(fields=["owner", "sort_name"])]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args: object, **kwargs: object) -> None:
        # Folding can make a name longer ("ß" is "ss"): the key is cut to its column.
        self.sort_name = sort_key(self.given_name, self.particles, self.surname)[:300]
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "sort_name"}  # type: ignore[misc]
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def full_name(self) -> str:
        return display_name(self.given_name, self.particles, self.surname)


class ContactPoint(models.Model):
    """An e-mail address or phone number (E.164) of a person."""

    class Kind(models.TextChoices):
        EMAIL = "email", _("e-mail")
        PHONE = "phone", _("phone")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="contact_points")
    kind = models.CharField(max_length=5, choices=Kind.choices)
    value = models.CharField(max_length=254)
    label = models.CharField(max_length=30, blank=True)  # work, home, mobile, …

    class Meta:
        ordering = ["kind", "id"]
        # PostgreSQL also has an index on (kind, lower(value)): migration 0004 says why.
        indexes = [models.Index(fields=["kind", "value"])]
        constraints = [
            models.UniqueConstraint(fields=["person", "kind", "value"], name="contact_point_once")
        ]

    def __str__(self) -> str:
        return self.value


class Tier(models.TextChoices):
    A = "A", _("A — most important")
    B = "B", _("B — important")
    C = "C", _("C — keep informed")


class Relationship(models.Model):
    """One user's view of one person: how important, how we met, what I keep to myself."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="relationships"
    )
    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="relationship")
    tier = models.CharField(_("tier"), max_length=1, choices=Tier.choices, default=Tier.B)
    how_met = models.CharField(_("how we met"), max_length=200, blank=True)
    introduced_by = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="introductions",
        verbose_name=_("introduced by"),
    )
    private_notes = models.TextField(_("private notes"), blank=True)
    snoozed_until = models.DateField(_("snoozed until"), null=True, blank=True)
    dont_contact_before = models.DateField(_("do not contact before"), null=True, blank=True)
    stars = models.PositiveSmallIntegerField(
        _("my stars"),
        default=0,
        validators=[MaxValueValidator(3)],
        help_text=_("How much you value this relationship yourself, 0 to 3."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["owner", "tier"])]

    def __str__(self) -> str:
        return f"{self.owner} — {self.person}"


class ShareLevel(models.TextChoices):
    NONE = "none", _("Nothing")
    ORGANISATION = "organisation", _("Knows someone at the organisation")
    NAME_ROLE = "name_role", _("Name and role")


class Share(models.Model):
    """How much of one relationship the members of one workspace may see."""

    relationship = models.ForeignKey(Relationship, on_delete=models.CASCADE, related_name="shares")
    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="shares"
    )
    level = models.CharField(max_length=12, choices=ShareLevel.choices, default=ShareLevel.NONE)
    updated_at = models.DateTimeField(auto_now=True)  # the pooled network's cache watches it

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["relationship", "workspace"], name="one_share_level")
        ]

    def __str__(self) -> str:
        return f"{self.relationship} → {self.workspace}: {self.level}"


class Channel(models.TextChoices):
    IN_PERSON = "in_person", _("One-to-one in person")
    SMALL_GROUP = "small_group", _("Small group")
    EVENT = "event", _("Event")
    CALL = "call", _("Phone or video")
    EMAIL = "email", _("E-mail")
    MESSAGE = "message", _("Online message")
    OTHER = "other", _("Other")


class Initiator(models.TextChoices):
    ME = "me", _("Me")
    THEM = "them", _("Them")
    BOTH = "both", _("Both")


class Interaction(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="interactions"
    )
    people = models.ManyToManyField(Person, related_name="interactions")
    occurred_at = models.DateTimeField(_("when"), db_index=True)
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    minutes = models.PositiveIntegerField(_("minutes"), default=5)
    initiated_by = models.CharField(
        _("who started it"), max_length=4, choices=Initiator.choices, default=Initiator.ME
    )
    answered = models.BooleanField(_("answered"), null=True, blank=True)
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["owner", "-occurred_at"])]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d} {self.channel}"


class IntelligenceNote(models.Model):
    """What someone told me about the market."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="intelligence_notes"
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="intelligence_notes",
        verbose_name=_("told by"),
    )
    text = models.TextField(_("what they told"))
    tags = models.ManyToManyField(Tag, blank=True, related_name="intelligence_notes")
    noted_on = models.DateField(_("date"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-noted_on", "-id"]

    def __str__(self) -> str:
        return self.text[:60]


class Favour(models.Model):
    class Direction(models.TextChoices):
        GIVEN = "given", _("I gave")
        RECEIVED = "received", _("I received")

    class Kind(models.TextChoices):
        REFERRAL = "referral", _("Referral")
        INTRODUCTION = "introduction", _("Introduction")
        INFORMATION = "information", _("Information")
        ADVICE = "advice", _("Advice")
        OTHER = "other", _("Other")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="favours"
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="favours")
    direction = models.CharField(_("direction"), max_length=8, choices=Direction.choices)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    value_eur = models.DecimalField(
        _("value (€)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    occurred_on = models.DateField(_("date"))
    description = models.CharField(_("description"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(value_eur__isnull=True) | models.Q(value_eur__gte=0),
                name="favour_value_not_negative",
            )
        ]

    def __str__(self) -> str:
        return f"{self.direction} {self.kind}"


class Ask(models.Model):
    """Whom or what someone is looking for this month: my own (no person) or a contact's."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="asks"
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="asks",
        verbose_name=_("whose ask"),
    )
    text = models.CharField(_("what or whom"), max_length=500)
    role = models.CharField(_("role"), max_length=150, blank=True)
    sector = models.CharField(_("sector"), max_length=100, blank=True)
    region = models.CharField(_("region"), max_length=100, blank=True)
    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True)
    valid_from = models.DateField(_("from"))
    valid_to = models.DateField(_("until"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-valid_from", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__gte=models.F("valid_from")),
                name="ask_period_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.text[:60]
