import os
import uuid

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from .keys import KEY_MAX_LENGTH, validate_key
from .ownership import OwnedItemForm


def key_field(**kwargs):
    """A stable key matched again by course-package imports (empty: none given yet)."""
    return models.CharField(
        _("stable key"),
        max_length=KEY_MAX_LENGTH,
        blank=True,
        validators=[validate_key],
        help_text=_(
            "Optional. Lets a course package imported later find this item again, "
            "e.g. penal_code_art329."
        ),
        **kwargs,
    )


def unique_key_constraint(name: str) -> models.UniqueConstraint:
    return models.UniqueConstraint(fields=["key"], condition=~models.Q(key=""), name=name)


@register_snippet
class LegalProvision(index.Indexed, models.Model):
    """A legal instrument or one of its articles, cited by lessons and questions."""

    instrument = models.CharField(
        _("legal instrument"),
        max_length=255,
        help_text=_("e.g. Bộ luật Hình sự số 100/2015/QH13"),
    )
    article = models.CharField(_("article"), max_length=100, blank=True)
    short_text = models.TextField(
        _("short text"), help_text=_("A faithful summary, 1–3 sentences.")
    )
    effective_date = models.DateField(_("effective date"), null=True, blank=True)
    superseded_by = models.ForeignKey(
        "self",
        verbose_name=_("superseded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supersedes",
    )
    source_name = models.CharField(_("source"), max_length=255, blank=True)
    source_url = models.URLField(_("source URL"), blank=True)
    key = key_field()

    panels = [
        FieldPanel("instrument"),
        FieldPanel("article"),
        FieldPanel("short_text"),
        FieldPanel("effective_date"),
        FieldPanel("superseded_by"),
        FieldPanel("source_name"),
        FieldPanel("source_url"),
        FieldPanel("key"),
    ]
    search_fields = [
        index.SearchField("instrument"),
        index.SearchField("article"),
        index.SearchField("short_text"),
        index.AutocompleteField("instrument"),
    ]

    class Meta:
        verbose_name = _("legal provision")
        verbose_name_plural = _("legal provisions")
        ordering = ["instrument", "article"]
        constraints = [unique_key_constraint("content_provision_key")]

    def __str__(self):
        return f"{self.article}, {self.instrument}" if self.article else self.instrument


class H5PLibrary(models.Model):
    """One installed H5P library version (machine name + major.minor.patch) in the shared
    library store, with the hash of its files. Every content item that uses its major.minor
    plays the newest approved patch. Only administrators approve; an installed version's
    files never change."""

    machine_name = models.CharField(_("machine name"), max_length=127)
    major_version = models.PositiveSmallIntegerField(_("major version"))
    minor_version = models.PositiveSmallIntegerField(_("minor version"))
    patch_version = models.PositiveIntegerField(_("patch version"), default=0)
    files_hash = models.CharField(_("hash of its files (SHA-256)"), max_length=64, blank=True)
    files = models.JSONField(_("files and their hashes"), default=dict, blank=True)
    metadata = models.JSONField(_("library.json"), default=dict, blank=True)
    folder = models.CharField(_("folder in the H5P store"), max_length=255, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), default=timezone.now)

    class Meta:
        verbose_name = _("H5P library")
        verbose_name_plural = _("H5P libraries")
        ordering = ["machine_name", "major_version", "minor_version", "patch_version"]
        constraints = [
            models.UniqueConstraint(
                fields=["machine_name", "major_version", "minor_version", "patch_version"],
                name="content_h5p_library_version",
            )
        ]

    def __str__(self):
        return f"{self.machine_name} {self.version}"

    @property
    def version(self) -> str:
        return f"{self.major_version}.{self.minor_version}.{self.patch_version}"

    @property
    def key(self) -> str:
        """ "Machine.Name major.minor", as content and dependencies name it."""
        return f"{self.machine_name} {self.major_version}.{self.minor_version}"


class H5PStatus(models.TextChoices):
    PROCESSING = "processing", _("Being checked")
    READY = "ready", _("Ready")
    REJECTED = "rejected", _("Refused")
    AWAITING_LIBRARY = "awaiting_library", _("Waiting for an administrator to approve libraries")


# A package being checked for longer than this was left by a worker that died.
H5P_PROCESSING_TIMEOUT_MINUTES = 15
H5P_PROCESSING_MAX_TRIES = 3


def _h5p_upload_path(instance, filename):
    return f"uploads/{instance.uuid}.h5p"


def h5p_storage():
    """Where uploads, the library store and content files live: `STORAGES["h5p"]` when set
    (e.g. S3-compatible object storage), else a folder at H5P_ROOT, outside MEDIA_ROOT."""
    from django.core.files.storage import storages

    if "h5p" in settings.STORAGES:
        return storages["h5p"]
    return H5PFileStorage()


class H5PFileStorage(FileSystemStorage):
    """A folder at H5P_ROOT. No base_url: these files have no address on the platform origin.
    The folder is read from the settings each time, so tests and deployments may move it."""

    def __init__(self):
        super().__init__(base_url=None)

    @property
    def base_location(self):
        return settings.H5P_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)


class H5PContent(index.Indexed, models.Model):
    """An uploaded .h5p package. Its files are served only from the separate content
    origin, never from the platform's own."""

    uuid = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    title = models.CharField(_("title"), max_length=255, blank=True)
    package = models.FileField(
        _("H5P file (.h5p)"), upload_to=_h5p_upload_path, storage=h5p_storage
    )
    status = models.CharField(
        _("status"), max_length=20, choices=H5PStatus.choices, default=H5PStatus.PROCESSING
    )
    problems = models.JSONField(_("problems found"), default=list, blank=True)
    main_library = models.CharField(_("main library"), max_length=160, blank=True)
    dependencies = models.JSONField(_("dependencies"), default=list, blank=True)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    package_hash = models.CharField(max_length=64, blank=True)
    # Where its content/ and h5p.json are in the H5P storage; libraries come from the store.
    content_folder = models.CharField(max_length=255, blank=True)
    # Libraries (new or upgrades) an administrator must approve: name, version, hash, changes.
    pending_libraries = models.JSONField(default=list, blank=True)
    # The maximum score H5P reported in a trainer's preview; no statement may claim more.
    max_score = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    processing_started_at = models.DateTimeField(null=True, blank=True)
    processing_tries = models.PositiveSmallIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    # Whose activity it is: the trainer who first uploaded it (a later upload of a new file
    # changes `uploaded_by`, not this). See courses.items.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    shared = models.BooleanField(
        _("shared with all trainers"),
        default=False,
        help_text=_(
            "Other trainers may then find, use and edit this activity. Otherwise only you "
            "and administrators can."
        ),
    )

    panels = [FieldPanel("title"), FieldPanel("package"), FieldPanel("shared")]
    base_form_class = OwnedItemForm
    search_fields = [index.SearchField("title"), index.AutocompleteField("title")]

    class Meta:
        verbose_name = _("H5P activity")
        verbose_name_plural = _("H5P activities")

    def __str__(self):
        return self.title or str(self.uuid)

    def save(self, *args, **kwargs):
        # Its first uploader is its author, however it was made (the admin form, an import,
        # a script); a later upload of a new file does not change that.
        if self._state.adding and self.owner_id is None and self.uploaded_by_id is not None:
            self.owner_id = self.uploaded_by_id
        super().save(*args, **kwargs)

    @property
    def problems_text(self) -> str:
        return "; ".join(self.problems)

    # The listing's column header (Wagtail reads it as Django's admin does).
    problems_text.fget.short_description = _("problems found")

    @property
    def is_ready(self) -> bool:
        return self.status == H5PStatus.READY


class H5PUserData(models.Model):
    """What an H5P content type saves about a learner (its "content user data", e.g. where
    they were in an Interactive Video), so they resume on any device."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    content = models.ForeignKey(H5PContent, on_delete=models.CASCADE, related_name="+")
    data_type = models.CharField(max_length=64, default="state")
    sub_content_id = models.CharField(max_length=64, blank=True)
    data = models.TextField()
    preload = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "content", "data_type", "sub_content_id"],
                name="content_h5p_user_data_once",
            )
        ]

    def __str__(self):
        return f"{self.user_id} {self.content_id} {self.data_type}"


class PageCreationToken(models.Model):
    """Which page a page-creation form has already created. The admin's create form carries
    a random token; its autosave creates the page, and a publish sent from the same form
    before the browser learnt of the autosave must not create a second one (see
    content/authoring.py)."""

    token = models.UUIDField(unique=True)
    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.token} → {self.page_id}"
