"""Charity of the "Zhomart zhan" centres: requests for help, beneficiaries, projects, donations,
distributions and the ledger that balances per project.

A beneficiary's personal data (``Beneficiary``, the request's private need, documents, proofs of
delivery) and a donor's contact are confidential: only the caseworkers named on the request
(``RequestWorker``) and the heads of the centre see them, and each read is audited. The public
sees only the anonymous fields of a verified request and stories the beneficiary agreed to.

Amounts are whole tenge (KZT). The ledger is kept as running totals on the project
(``money_in``/``money_out``) and per in-kind item (``Stock``), changed only by conditional
updates in ``services`` and guarded by CHECK constraints: out never exceeds in.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from birlik.geo.models import District, Region
from birlik.registry.models import Organisation


def private_storage() -> Storage:
    """Files under the data directory, outside MEDIA_ROOT: no URL reaches them; a view that
    asks the policy each time serves them."""
    return FileSystemStorage(location=str(settings.DATA_DIR / "private" / "charity"))


def _public_id() -> str:
    return secrets.token_hex(4).upper()


class Category(models.TextChoices):
    LOW_INCOME = "low_income", _("low-income family")
    EMERGENCY = "emergency", _("emergency victims")
    RURAL_SCHOOL = "rural_school", _("rural school")
    ELDERLY = "elderly", _("elderly people")
    DISABILITY = "disability", _("people with disabilities")
    CHILDREN = "children", _("children")
    OTHER = "other", _("other")


class Kind(models.TextChoices):
    MONEY = "money", _("money")
    IN_KIND = "in_kind", _("in kind")


class Project(models.Model):
    """A programme of help run by a centre, with its own ledger."""

    class Source(models.TextChoices):
        OWN = "own", _("the centre's funds")
        SPONSORS = "sponsors", _("sponsors")
        GRANTS = "grants", pgettext_lazy("funding source", "grants")
        CROWDFUNDING = "crowdfunding", _("crowdfunding")

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        CLOSED = "closed", pgettext_lazy("charity project", "closed")

    centre = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="charity_projects",
        verbose_name=_("charity centre"),
    )
    title = models.CharField(_("title"), max_length=300)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    budget = models.PositiveBigIntegerField(_("budget, KZT"), default=0)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    # Codes of ``Source`` between commas (",own,sponsors,"): one column, filterable.
    sources = models.CharField(_("sources"), max_length=100, blank=True, default="")
    partners = models.ManyToManyField(
        Organisation, blank=True, related_name="charity_partnerships", verbose_name=_("partners")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    money_in = models.PositiveBigIntegerField(_("money received, KZT"), default=0)
    money_out = models.PositiveBigIntegerField(_("money distributed, KZT"), default=0)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("charity project")
        verbose_name_plural = _("charity projects")
        indexes = [
            models.Index(fields=["centre", "starts_on"]),
            models.Index(fields=["starts_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(money_out__lte=F("money_in")), name="charity_project_money_balances"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="charity_project_period"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def money_left(self) -> int:
        return self.money_in - self.money_out

    @property
    def source_codes(self) -> list[str]:
        return [code for code in self.sources.split(",") if code]

    def source_labels(self) -> list[str]:
        labels = dict(self.Source.choices)
        return [str(labels.get(code, code)) for code in self.source_codes]


class Stock(models.Model):
    """The in-kind ledger of one item in a project: quantity and value in and out."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="stock")
    name = models.CharField(_("item"), max_length=200)
    key = models.CharField(max_length=200, editable=False)  # the name, casefolded
    quantity_in = models.PositiveIntegerField(_("quantity received"), default=0)
    quantity_out = models.PositiveIntegerField(_("quantity distributed"), default=0)
    value_in = models.PositiveBigIntegerField(_("value received, KZT"), default=0)
    value_out = models.PositiveBigIntegerField(_("value distributed, KZT"), default=0)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "key"], name="charity_stock_item_once"),
            models.CheckConstraint(
                condition=Q(quantity_out__lte=F("quantity_in")),
                name="charity_stock_quantity_balances",
            ),
            models.CheckConstraint(
                condition=Q(value_out__lte=F("value_in")), name="charity_stock_value_balances"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def quantity_left(self) -> int:
        return self.quantity_in - self.quantity_out

    @property
    def value_left(self) -> int:
        return self.value_in - self.value_out


class HelpRequest(models.Model):
    """A request for help; its anonymous fields may be shown to donors once verified."""

    class Source(models.TextChoices):
        PORTAL = "portal", _("citizen, on the portal")
        CENTRE = "centre", _("citizen, at the centre")
        BODY = "body", _("a body (organisation)")

    class Urgency(models.TextChoices):
        URGENT = "urgent", _("urgent")
        NORMAL = "normal", _("normal")

    class Status(models.TextChoices):
        RECEIVED = "received", pgettext_lazy("help request", "received")
        VERIFYING = "verifying", _("being verified")
        VERIFIED = "verified", _("verified, open for help")
        HELPING = "helping", _("being helped")
        DELIVERED = "delivered", _("help delivered")
        CLOSED = "closed", pgettext_lazy("help request", "closed")
        REJECTED = "rejected", pgettext_lazy("help request", "rejected")
        WITHDRAWN = "withdrawn", _("withdrawn")

    OPEN_FOR_HELP = (Status.VERIFIED, Status.HELPING)
    FINISHED = (Status.CLOSED, Status.REJECTED, Status.WITHDRAWN)

    number = models.CharField(
        pgettext_lazy("registration number", "number"), max_length=30, unique=True
    )
    public_id = models.CharField(max_length=12, unique=True, default=_public_id, editable=False)
    centre = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="charity_requests",
        verbose_name=_("charity centre"),
    )
    source = models.CharField(_("received from"), max_length=10, choices=Source.choices)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    urgency = models.CharField(
        _("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL
    )
    region = models.ForeignKey(Region, on_delete=models.PROTECT, verbose_name=_("region"))
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("district")
    )
    # What the requester wrote: may name people, so it is confidential like the beneficiary.
    need = models.TextField(_("what is needed"))
    # Written by the centre when it verifies the request: the only text donors see.
    public_need = models.CharField(_("what is needed (public)"), max_length=300, blank=True)
    amount = models.PositiveBigIntegerField(_("amount needed, KZT"), null=True, blank=True)
    project = models.ForeignKey(
        Project,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requests",
        verbose_name=_("project"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.RECEIVED
    )
    visit_on = models.DateField(_("home visit on"), null=True, blank=True)
    visit_note = models.TextField(_("note of the visit"), blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("request for help")
        verbose_name_plural = _("requests for help")
        indexes = [
            models.Index(fields=["centre", "status"]),
            models.Index(fields=["status", "region", "category"]),
            models.Index(fields=["received_at"]),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open_for_help(self) -> bool:
        return self.status in self.OPEN_FOR_HELP


class RequestItem(models.Model):
    request = models.ForeignKey(HelpRequest, on_delete=models.CASCADE, related_name="items")
    name = models.CharField(_("item"), max_length=200)
    quantity = models.PositiveIntegerField(_("quantity"))
    value = models.PositiveBigIntegerField(_("estimated value, KZT"), default=0)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="charity_item_quantity")
        ]

    def __str__(self) -> str:
        return f"{self.name} × {self.quantity}"


class RequestWorker(models.Model):
    """A caseworker named on a request: with the centre's heads, the only readers of its data."""

    request = models.ForeignKey(HelpRequest, on_delete=models.CASCADE, related_name="workers")
    user = models.ForeignKey("access.User", on_delete=models.CASCADE, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["request", "user"], name="charity_worker_once")
        ]

    def __str__(self) -> str:
        return f"{self.request} — {self.user}"


class Beneficiary(models.Model):
    """The person, family or body helped: confidential."""

    class Kind(models.TextChoices):
        PERSON = "person", _("a person")
        FAMILY = "family", _("a family")
        BODY = "body", _("a body (organisation)")

    request = models.OneToOneField(
        HelpRequest, on_delete=models.CASCADE, related_name="beneficiary"
    )
    kind = models.CharField(_("beneficiary"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    household = models.PositiveSmallIntegerField(_("people in the household"), default=1)
    iin_digest = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    iin_last4 = models.CharField(max_length=4, blank=True, editable=False)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("body"),
    )
    consent_given_at = models.DateTimeField(_("consent given at"), null=True, blank=True)

    class Meta:
        verbose_name = _("beneficiary")
        verbose_name_plural = _("beneficiaries")

    def __str__(self) -> str:
        # Never the name: this string reaches the audit log and error pages.
        return str(_("beneficiary of %(number)s") % {"number": self.request.number})


def _private_name(instance: Any, filename: str) -> str:
    return f"{timezone.now():%Y/%m}/{filename}"


class Document(models.Model):
    """A verification document or a signed acknowledgement of delivery (private storage)."""

    class Purpose(models.TextChoices):
        VERIFICATION = "verification", _("verification document")
        PROOF = "proof", _("signed acknowledgement of delivery")

    request = models.ForeignKey(HelpRequest, on_delete=models.CASCADE, related_name="documents")
    purpose = models.CharField(_("purpose"), max_length=15, choices=Purpose.choices)
    file = models.FileField(upload_to=_private_name, storage=private_storage, max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        "access.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return f"{self.request.number} / {self.pk}"


class Donation(models.Model):
    """Money or one in-kind item given to a project, with its receipt."""

    class DonorKind(models.TextChoices):
        PERSON = "person", _("a person")
        COMPANY = "company", _("a company")

    centre = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="donations")
    request = models.ForeignKey(
        HelpRequest, on_delete=models.PROTECT, null=True, blank=True, related_name="donations"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    amount = models.PositiveBigIntegerField(_("amount, KZT"), default=0)
    item = models.CharField(_("item"), max_length=200, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"), default=0)
    value = models.PositiveBigIntegerField(_("value, KZT"), default=0)
    donor_kind = models.CharField(_("donor"), max_length=10, choices=DonorKind.choices)
    donor_name = models.CharField(_("donor's name"), max_length=200)
    donor_bin = models.CharField(_("BIN"), max_length=12, blank=True)
    donor_iin_digest = models.CharField(max_length=64, blank=True, editable=False)
    donor_phone = models.CharField(_("phone"), max_length=40, blank=True)
    donor_email = models.EmailField(_("e-mail"), blank=True)
    received_on = models.DateField(_("received on"))
    receipt_year = models.PositiveSmallIntegerField()
    receipt_seq = models.PositiveIntegerField()
    receipt_number = models.CharField(_("receipt number"), max_length=40)
    recorded_by = models.ForeignKey(
        "access.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["received_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "receipt_year", "receipt_seq"], name="charity_receipt_once"
            ),
            models.CheckConstraint(
                condition=Q(kind="money", amount__gt=0)
                | Q(kind="in_kind", quantity__gt=0, amount=0),
                name="charity_donation_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.receipt_number

    @property
    def total_value(self) -> int:
        return self.amount if self.kind == Kind.MONEY else self.value


class Distribution(models.Model):
    """Help handed to the beneficiary of a request, out of a project's ledger."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="distributions")
    request = models.ForeignKey(HelpRequest, on_delete=models.PROTECT, related_name="distributions")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    amount = models.PositiveBigIntegerField(_("amount, KZT"), default=0)
    item = models.CharField(_("item"), max_length=200, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"), default=0)
    value = models.PositiveBigIntegerField(_("value, KZT"), default=0)
    delivered_on = models.DateField(_("delivered on"))
    proof = models.ForeignKey(
        Document, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signature_recorded_by = models.ForeignKey(
        "access.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        "access.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-delivered_on", "-id"]
        indexes = [models.Index(fields=["delivered_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="money", amount__gt=0)
                | Q(kind="in_kind", quantity__gt=0, amount=0),
                name="charity_distribution_positive",
            ),
            models.CheckConstraint(
                condition=Q(proof__isnull=False) | Q(signed_on__isnull=False),
                name="charity_distribution_has_proof",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request.number} / {self.pk}"

    @property
    def total_value(self) -> int:
        return self.amount if self.kind == Kind.MONEY else self.value


class Pledge(models.Model):
    """A donor's promise on the portal for an open request; the centre confirms or declines."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for the centre")
        CONFIRMED = "confirmed", _("confirmed")
        DECLINED = "declined", _("declined")

    request = models.ForeignKey(HelpRequest, on_delete=models.CASCADE, related_name="pledges")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    amount = models.PositiveBigIntegerField(_("amount, KZT"), default=0)
    item = models.CharField(_("item"), max_length=200, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"), default=0)
    value = models.PositiveBigIntegerField(_("value, KZT"), default=0)
    donor_name = models.CharField(_("your name or company"), max_length=200)
    donor_phone = models.CharField(_("phone"), max_length=40, blank=True)
    donor_email = models.EmailField(_("e-mail"), blank=True)
    language = models.CharField(max_length=2, default="kk")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    donation = models.OneToOneField(
        Donation, on_delete=models.SET_NULL, null=True, blank=True, related_name="pledge"
    )
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.request.number} / {self.pk}"


class Story(models.Model):
    """An anonymous story of help, published only with the beneficiary's recorded consent."""

    request = models.OneToOneField(HelpRequest, on_delete=models.CASCADE, related_name="story")
    text = models.TextField(_("story"))
    consent_given_on = models.DateField(_("consent to publish given on"))
    consent_recorded_by = models.ForeignKey(
        "access.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("story of help")
        verbose_name_plural = _("stories of help")

    def __str__(self) -> str:
        return f"{self.request.number}"
