from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting


class AgencyType(models.TextChoices):
    POLICE = "police", _("Police")
    PROCURACY = "procuracy", _("People's Procuracy")
    COURT = "court", _("People's Court")
    INSPECTION_TEAM = "inspection_team", _("Interdisciplinary inspection team")
    LABOUR_SOCIAL = "labour_social", _("Labour and social affairs")
    HEALTH = "health", _("Health")
    OTHER = "other", _("Other")


class JobRole(models.TextChoices):
    INSPECTION_TEAM_MEMBER = "inspection_team_member", _("Inspection-team member")
    INVESTIGATOR = "investigator", _("Investigator")
    PROSECUTOR = "prosecutor", _("Prosecutor")
    JUDGE = "judge", _("Judge")
    PEOPLES_JUROR = "peoples_juror", _("People's juror")
    SOCIAL_WORK = "social_work", _("Social-work staff")
    OTHER = "other", _("Other")


class Organisation(MP_Node):
    """An agency or unit. Organisations form a tree (ministry → province → unit) so that an
    HR officer's scope can be a whole subtree."""

    name = models.CharField(_("name"), max_length=255)
    code = models.CharField(
        _("unit code"),
        max_length=50,
        blank=True,
        help_text=_("A short code HR files use for the unit, e.g. CA-HN-PC02."),
    )
    agency_type = models.CharField(
        _("agency type"), max_length=32, choices=AgencyType.choices, default=AgencyType.OTHER
    )
    province = models.CharField(_("province or city"), max_length=100, blank=True)

    node_order_by = ["name"]

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(
                Lower("code"),
                condition=~models.Q(code=""),
                name="accounts_organisation_code_unique",
            )
        ]

    def __str__(self):
        return self.name

    @property
    def display_path(self) -> str:
        """The names from the root down, for choosing an organisation in a flat list."""
        return " › ".join(node.name for node in [*self.get_ancestors(), self])

    display_path.fget.short_description = _("organisation")


STAFF_ID_CONSTRAINT = "accounts_user_staff_id_unique_in_agency"


def agency_id_of(organisation: Organisation) -> int:
    """The primary key of the root of the organisation's tree (no query for a root)."""
    if organisation.depth == 1:
        return organisation.pk
    root_path = organisation.path[: Organisation.steplen]
    return Organisation.objects.values_list("pk", flat=True).get(path=root_path)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person who signs in with an e-mail address. Vietnamese names are kept whole, as
    written (family name first), rather than split into first and last names."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150)
    staff_id = models.CharField(
        _("staff ID"),
        max_length=50,
        blank=True,
        help_text=_("The number on your agency's staff card, if you have one."),
    )
    job_role = models.CharField(
        _("job role"), max_length=32, choices=JobRole.choices, default=JobRole.OTHER
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    # The top-level agency above the organisation (the root of its tree), kept beside it
    # so that the database itself refuses a staff ID claimed twice within one agency.
    agency = models.ForeignKey(
        Organisation,
        verbose_name=_("top-level agency"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        permissions = [("access_hr_area", _("Can open the HR screens"))]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
            models.UniqueConstraint(
                fields=["agency", "staff_id"],
                condition=~models.Q(staff_id=""),
                name=STAFF_ID_CONSTRAINT,
            ),
        ]
        indexes = [
            # The learner reports' first page: enrolments in name order, ties by person.
            models.Index(fields=["full_name", "id"], name="accounts_user_name_order"),
            # HR look-ups by staff ID across organisations (the unique constraint above
            # leads with the organisation, so it cannot serve them).
            models.Index(fields=["staff_id"], name="accounts_user_staff_id"),
        ]

    def __str__(self):
        return self.full_name or self.email

    def save(self, *args, **kwargs):
        self.agency_id = agency_id_of(self.organisation) if self.organisation_id else None
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "organisation" in update_fields:
            kwargs["update_fields"] = {*update_fields, "agency"}
        super().save(*args, **kwargs)

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        # A Vietnamese given name is the last word of the full name.
        return self.full_name.split()[-1] if self.full_name.strip() else self.email


class SignupMode(models.TextChoices):
    OPEN = "open", _("Open to anyone with an e-mail address")
    DOMAINS = "domains", _("Limited to the allowed e-mail domains")


@register_setting(icon="user")
class SignupPolicy(BaseGenericSetting):
    """Who may create an account, set by an administrator in the Wagtail admin."""

    mode = models.CharField(
        _("who may sign up"), max_length=16, choices=SignupMode.choices, default=SignupMode.OPEN
    )
    allowed_domains = models.TextField(
        _("allowed e-mail domains"),
        blank=True,
        help_text=_(
            "One domain per line, e.g. congan.gov.vn. Sub-domains of a listed domain are "
            "allowed too."
        ),
    )

    panels = [FieldPanel("mode"), FieldPanel("allowed_domains")]

    class Meta:
        verbose_name = _("sign-up policy")

    @property
    def domain_list(self) -> list[str]:
        return [
            line.strip().lower().lstrip("@")
            for line in self.allowed_domains.splitlines()
            if line.strip()
        ]

    def allows(self, email: str) -> bool:
        if self.mode == SignupMode.OPEN:
            return True
        domain = email.rsplit("@", 1)[-1].strip().lower()
        return any(domain == d or domain.endswith("." + d) for d in self.domain_list)


class ChangeRequestStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class OrganisationChangeRequest(models.Model):
    """A trainee's request to move to another organisation. A trainee sets their
    organisation once; after that a move takes effect only when an HR officer of the new
    organisation (or an administrator) approves it (accounts.services, audited)."""

    user = models.ForeignKey(
        User,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="organisation_requests",
    )
    from_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("current organisation"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("requested organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    staff_id = models.CharField(_("staff ID in the new organisation"), max_length=50, blank=True)
    reason = models.CharField(_("reason"), max_length=500)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ChangeRequestStatus.choices,
        default=ChangeRequestStatus.PENDING,
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        User,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("organisation change request")
        verbose_name_plural = _("organisation change requests")
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(status="pending"),
                name="accounts_one_pending_organisation_request",
            )
        ]

    def __str__(self):
        return f"{self.user} → {self.to_organisation}"
