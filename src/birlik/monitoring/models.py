"""Early warning: the sources watched, the items collected, the stories they form, the labels
analysts give, the risk models trained on them, the alerts raised and the steps taken.

Only public material is kept. An author is stored as the public handle of a public outlet or as
a keyed digest (``author_key``), never as a person's name. Items are seen by analysts and the
national level; a coordinator sees the items that name a place in their regions (``policies``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from birlik.geo.models import District, Region
from birlik.registry.models import EthnicGroup, Organisation


class Language(models.TextChoices):
    KK = "kk", _("Kazakh")
    RU = "ru", _("Russian")
    EN = "en", _("English")
    OTHER = "other", pgettext_lazy("language", "other")
    UNKNOWN = "unknown", pgettext_lazy("language", "not known")


class Topic(models.TextChoices):
    """What an item may signal. ``unity`` is positive coverage: it is scored, never alerted."""

    CONFLICT = "conflict", _("interethnic conflict or tension")
    HATE = "hate", _("hate speech")
    VIOLENCE = "violence", _("calls to violence")
    DISINFORMATION = "disinformation", _("disinformation about an ethnic group")
    LANGUAGE = "language", _("language disputes")
    UNITY = "unity", _("positive coverage of unity")


RISK_TOPICS = tuple(t.value for t in Topic if t != Topic.UNITY)


class Source(models.Model):
    class Kind(models.TextChoices):
        RSS = "rss", _("RSS or Atom feed")
        SITEMAP = "sitemap", _("news sitemap")
        PAGE = "page", _("web page")
        TELEGRAM = "telegram", _("Telegram channel export")
        VENDOR = "vendor", _("monitoring vendor's spreadsheet")
        MANUAL = "manual", _("entered by hand")

    # Sources that are fetched over HTTP on a schedule; the others are uploaded or typed.
    FETCHED = (Kind.RSS, Kind.SITEMAP, Kind.PAGE)

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind of source"), max_length=10, choices=Kind.choices)
    url = models.URLField(_("address"), max_length=1000, blank=True)
    language = models.CharField(
        _("declared language"),
        max_length=7,
        choices=Language.choices,
        blank=True,
        help_text=_("Used when a text is too short to tell its language."),
    )
    home_region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("home region"),
        help_text=_("Empty for a national outlet."),
    )
    # The journalists' club counts what its members and partner media publish.
    club_member = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("journalists' club member or partner"),
    )
    club_kind = models.CharField(
        _("counted by the club as"), max_length=12, blank=True, default=""
    )  # ClubPublication.Kind
    schedule_minutes = models.PositiveIntegerField(_("fetch every (minutes)"), default=10)
    retention_days = models.PositiveIntegerField(
        _("keep items for (days)"), null=True, blank=True, help_text=_("Empty: the default.")
    )
    enabled = models.BooleanField(_("enabled"), default=True)
    # Politeness and health, written by the fetcher.
    etag = models.CharField(max_length=300, blank=True, editable=False)
    last_modified = models.CharField(max_length=100, blank=True, editable=False)
    next_fetch_at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    failures = models.PositiveIntegerField(default=0, editable=False)
    last_success_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_error = models.CharField(max_length=500, blank=True, editable=False)
    last_error_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = pgettext_lazy("media", "source")
        verbose_name_plural = pgettext_lazy("media", "sources")

    def __str__(self) -> str:
        return self.name


class SourceFetch(models.Model):
    """One attempt to read a source: the health page is made of these (kept 30 days)."""

    class Status(models.TextChoices):
        OK = "ok", pgettext_lazy("fetch", "read")
        NOT_MODIFIED = "not_modified", _("not changed")
        ERROR = "error", pgettext_lazy("fetch", "failed")
        REFUSED = "refused", _("refused by robots.txt")
        POSTPONED = "postponed", _("postponed: the site was busy")

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="fetches")
    started_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=14, choices=Status.choices)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    items_new = models.PositiveIntegerField(default=0)
    ms = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["source", "-started_at"])]

    def __str__(self) -> str:
        return f"{self.source_id} {self.status} {self.started_at:%Y-%m-%d %H:%M}"


class Story(models.Model):
    """Items about the same event, in any language; its growth per hour raises alerts."""

    title = models.CharField(_("title"), max_length=500)
    opened_at = models.DateTimeField(_("first item"), default=timezone.now)
    last_item_at = models.DateTimeField(_("last item"), default=timezone.now, db_index=True)
    languages = models.JSONField(default=list)
    item_count = models.PositiveIntegerField(pgettext_lazy("media", "items"), default=0)
    source_count = models.PositiveIntegerField(pgettext_lazy("media", "sources"), default=0)
    risk = models.FloatField(_("risk"), default=0, db_index=True)
    regions = models.ManyToManyField(Region, blank=True, related_name="+")
    # Keys that join a later item to the story: place, group and entity keys (``stories``).
    keys = models.JSONField(default=list)
    embedding = models.BinaryField(null=True, blank=True)
    open = models.BooleanField(default=True, db_index=True)

    class Meta:
        ordering = ["-last_item_at", "-id"]
        verbose_name = pgettext_lazy("media", "story")
        verbose_name_plural = pgettext_lazy("media", "stories")

    def __str__(self) -> str:
        return self.title


class StoryHour(models.Model):
    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="hours")
    hour = models.DateTimeField()
    items = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["story", "hour"], name="story_hour_once")]

    def __str__(self) -> str:
        return f"{self.story_id} {self.hour:%Y-%m-%d %H}:00"


class RiskModel(models.Model):
    """A trained classifier: weights in a file (never a pickle), metrics on held-out labels."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    params = models.JSONField(default=dict)
    weights_name = models.CharField(max_length=200, blank=True)
    weights_sha256 = models.CharField(max_length=64, blank=True)
    metrics = models.JSONField(default=dict)
    label_count = models.PositiveIntegerField(default=0)
    active = models.BooleanField(default=False)
    activated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    activated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["active"], condition=models.Q(active=True), name="one_active_risk_model"
            )
        ]
        verbose_name = _("risk model")
        verbose_name_plural = _("risk models")

    def __str__(self) -> str:
        return f"v{self.version}"


class Item(models.Model):
    class State(models.TextChoices):
        NEW = "new", pgettext_lazy("item", "waiting")
        PROCESSED = "processed", pgettext_lazy("item", "processed")
        NO_ARTICLE = "no_article", _("page without an article")
        FAILED = "failed", pgettext_lazy("item", "failed")

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="items")
    # The item's key within its source: the feed's guid, the URL, or the message number.
    guid = models.CharField(max_length=500)
    url = models.URLField(_("address"), max_length=1000, blank=True)
    title = models.CharField(_("title"), max_length=500, blank=True)
    text = models.TextField(_("text"), blank=True)
    language = models.CharField(
        _("language"), max_length=7, choices=Language.choices, default=Language.UNKNOWN
    )
    language_confidence = models.FloatField(default=0)
    published_at = models.DateTimeField(_("published"), default=timezone.now, db_index=True)
    fetched_at = models.DateTimeField(_("collected"), default=timezone.now)
    author_key = models.CharField(max_length=100, blank=True)
    content_hash = models.CharField(max_length=64, blank=True, db_index=True)
    minhash = models.BinaryField(null=True, blank=True)
    duplicate_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="duplicates"
    )
    story = models.ForeignKey(
        Story, on_delete=models.SET_NULL, null=True, blank=True, related_name="items"
    )
    risk = models.FloatField(_("risk"), default=0)
    topics = models.JSONField(default=dict)  # {topic: probability}
    model_version = models.ForeignKey(
        RiskModel, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.NEW)
    processed_at = models.DateTimeField(null=True, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = pgettext_lazy("media", "item")
        verbose_name_plural = pgettext_lazy("media", "items")
        constraints = [
            models.UniqueConstraint(fields=["source", "guid"], name="item_once_per_source")
        ]
        indexes = [
            models.Index(fields=["state", "fetched_at"]),
            models.Index(fields=["story", "published_at"]),
            models.Index(fields=["risk", "published_at"]),
        ]

    def __str__(self) -> str:
        return self.title or self.guid


class ItemPlace(models.Model):
    class Via(models.TextChoices):
        TEXT = "text", _("named in the text")
        SOURCE = "source", _("the source's home region")
        HAND = "hand", _("given by hand")

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="places")
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    district = models.ForeignKey(
        District, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    via = models.CharField(max_length=6, choices=Via.choices, default=Via.TEXT)
    count = models.PositiveSmallIntegerField(default=1)

    class Meta:
        indexes = [models.Index(fields=["region", "item"])]

    def __str__(self) -> str:
        return f"{self.item_id} → {self.region_id}"


class ItemGroup(models.Model):
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="groups")
    group = models.ForeignKey(EthnicGroup, on_delete=models.CASCADE, related_name="+")
    count = models.PositiveSmallIntegerField(default=1)

    def __str__(self) -> str:
        return f"{self.item_id} → {self.group_id}"


class ItemEntity(models.Model):
    class Kind(models.TextChoices):
        PERSON = "PER", _("person")
        ORGANISATION = "ORG", pgettext_lazy("media", "organisation")

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="entities")
    kind = models.CharField(max_length=3, choices=Kind.choices)
    key = models.CharField(max_length=200, db_index=True)  # Latin key: «Ахметов» = «Akhmetov»
    shown = models.CharField(max_length=200)

    def __str__(self) -> str:
        return f"{self.kind} {self.shown}"


class Label(models.Model):
    """An analyst's judgement of one item on one topic; one in ten items is held out."""

    class Value(models.TextChoices):
        YES = "yes", _("yes")
        NO = "no", _("no")
        UNSURE = "unsure", _("not sure")

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="labels")
    topic = models.CharField(_("topic"), max_length=16, choices=Topic.choices)
    value = models.CharField(_("judgement"), max_length=6, choices=Value.choices)
    analyst = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    held_out = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["item", "topic", "analyst"], name="label_once_per_analyst"
            )
        ]
        indexes = [models.Index(fields=["topic", "held_out"])]

    def __str__(self) -> str:
        return f"{self.item_id} {self.topic}={self.value}"


class KeywordRule(models.Model):
    """Multilingual keyword lists: the cold start before a model, and a floor beside it."""

    topic = models.CharField(_("topic"), max_length=16, choices=Topic.choices)
    language = models.CharField(
        _("language"), max_length=7, choices=Language.choices, blank=True
    )  # blank: every language
    terms = models.TextField(_("terms"), help_text=_("One word or phrase per line."))
    weight = models.FloatField(_("weight"), default=0.6)
    enabled = models.BooleanField(_("enabled"), default=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["topic", "language", "id"]
        verbose_name = _("keyword rule")
        verbose_name_plural = _("keyword rules")

    def __str__(self) -> str:
        return f"{self.topic} ({self.language or '*'})"


class AlertRule(models.Model):
    class Kind(models.TextChoices):
        RISK = "risk", _("risk above a threshold")
        GROWTH = "growth", _("a story growing fast")
        MENTION = "mention", _("a place or group mentioned")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind of rule"), max_length=8, choices=Kind.choices)
    topic = models.CharField(_("topic"), max_length=16, choices=Topic.choices, blank=True)
    threshold = models.FloatField(_("risk threshold"), default=0.7)
    growth_factor = models.FloatField(_("growth against the baseline"), default=3.0)
    min_per_hour = models.PositiveIntegerField(_("at least items per hour"), default=5)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ethnic_group = models.ForeignKey(
        EthnicGroup, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    enabled = models.BooleanField(_("enabled"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("alert rule")
        verbose_name_plural = _("alert rules")

    def __str__(self) -> str:
        return self.name


class Alert(models.Model):
    class State(models.TextChoices):
        RAISED = "raised", pgettext_lazy("alert", "raised")
        ACKNOWLEDGED = "acknowledged", pgettext_lazy("alert", "acknowledged")
        ASSESSED = "assessed", pgettext_lazy("alert", "assessed")
        ACTED = "acted", _("action taken")
        CLOSED = "closed", pgettext_lazy("alert", "closed")

    rule = models.ForeignKey(AlertRule, on_delete=models.PROTECT, related_name="alerts")
    story = models.ForeignKey(
        Story, on_delete=models.SET_NULL, null=True, blank=True, related_name="alerts"
    )
    item = models.ForeignKey(
        Item, on_delete=models.SET_NULL, null=True, blank=True, related_name="alerts"
    )
    title = models.CharField(_("title"), max_length=500)
    topic = models.CharField(_("topic"), max_length=16, choices=Topic.choices, blank=True)
    risk = models.FloatField(_("risk"), default=0)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    routed_to = models.ManyToManyField(Organisation, blank=True, related_name="+")
    state = models.CharField(
        _("status"), max_length=12, choices=State.choices, default=State.RAISED
    )
    raised_at = models.DateTimeField(_("raised"), default=timezone.now, db_index=True)
    ack_due_at = models.DateTimeField(_("acknowledge by"))
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acted_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    # Items that arrived since the alert was raised: kept current by the pipeline.
    key = models.CharField(max_length=100, unique=True)  # rule × story (or item): fires once

    class Meta:
        ordering = ["-raised_at", "-id"]
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        indexes = [models.Index(fields=["state", "ack_due_at"])]

    def __str__(self) -> str:
        return self.title


class AlertStep(models.Model):
    class Step(models.TextChoices):
        ACKNOWLEDGE = "acknowledge", _("acknowledged")
        ASSESS = "assess", _("assessed")
        ACT = "act", _("action taken")
        CLOSE = "close", pgettext_lazy("alert step", "closed")
        ESCALATE = "escalate", _("escalated to the national level")

    class Action(models.TextChoices):
        MEETING = "meeting", pgettext_lazy("alert action", "meeting")
        STATEMENT = "statement", _("public statement")
        MEDIATION = "mediation", pgettext_lazy("alert action", "mediation")
        REFERRAL = "referral", _("referral to a state body")
        OTHER = "other", pgettext_lazy("action", "other")

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="steps")
    step = models.CharField(max_length=12, choices=Step.choices)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.alert_id} {self.step}"


class ClubPublication(models.Model):
    """What the journalists' club's members and partner media publish, counted per year."""

    class Kind(models.TextChoices):
        PUBLICATION = "publication", _("publication")
        TV = "tv", _("TV story")
        SOCIAL = "social", _("social-media post")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("club member or partner"),
    )
    outlet = models.CharField(_("outlet"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    published_on = models.DateField(_("published on"), db_index=True)
    title = models.CharField(_("title"), max_length=500)
    url = models.URLField(_("address"), max_length=1000, blank=True)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    item = models.OneToOneField(
        Item, on_delete=models.SET_NULL, null=True, blank=True, related_name="club_publication"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-published_on", "-id"]
        verbose_name = _("club publication")
        verbose_name_plural = _("club publications")
        constraints = [
            models.UniqueConstraint(
                fields=["url"], condition=~models.Q(url=""), name="club_publication_url_once"
            )
        ]

    def __str__(self) -> str:
        return self.title


class AppealSignal(models.Model):
    """An appeal's text as the risk model reads it: the topics only, never the text."""

    appeal_id = models.PositiveBigIntegerField(unique=True)
    region = models.ForeignKey(Region, on_delete=models.CASCADE, null=True, related_name="+")
    received_on = models.DateField(db_index=True)
    risk = models.FloatField(default=0)
    topics = models.JSONField(default=dict)

    def __str__(self) -> str:
        return f"appeal {self.appeal_id}"


class TensionWeek(models.Model):
    """The regional tension index of one ISO week, with its three components (``tension``)."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    week = models.DateField()  # the Monday
    media = models.FloatField(default=0)
    appeals = models.PositiveIntegerField(default=0)
    mediation = models.PositiveIntegerField(default=0)
    index = models.PositiveSmallIntegerField(default=0)
    components = models.JSONField(default=dict)

    class Meta:
        ordering = ["-week", "region_id"]
        constraints = [models.UniqueConstraint(fields=["region", "week"], name="tension_week_once")]

    def __str__(self) -> str:
        return f"{self.region_id} {self.week}: {self.index}"
