from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .importer import COPY, REFUSE, REPLACE, SKIP


class PackageUploadForm(forms.Form):
    package = forms.FileField(
        label=_("Course package file (.pcmd.zip)"),
        help_text=_("A file exported from this platform or another deployment of it."),
    )

    def clean_package(self):
        upload = self.cleaned_data["package"]
        limit = settings.COURSE_PACKAGE_LIMITS["max_upload_bytes"]
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is larger than %(mb)s MB.") % {"mb": limit // (1024 * 1024)}
            )
        if not upload.name.lower().endswith(".zip"):
            raise forms.ValidationError(_("Choose a .pcmd.zip file."))
        return upload


COURSE_CHOICES = [
    (REFUSE, _("Do not import (the import is refused)")),
    (SKIP, _("Keep the installed course, skip this one")),
    (REPLACE, _("Replace the installed draft")),
    (COPY, _("Import as a copy with a new code")),
]


class ImportOptionsForm(forms.Form):
    """Options of one import; a choice for each course whose code is already installed."""

    publish = forms.BooleanField(
        label=_("Publish the imported courses"),
        required=False,
        help_text=_("Otherwise they arrive as drafts for you to review."),
    )
    update_provisions = forms.BooleanField(
        label=_("Update installed legal provisions from the package"), required=False
    )
    update_questions = forms.BooleanField(
        label=_("Update installed questions from the package"), required=False
    )

    def __init__(self, *args, installed_codes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.installed_codes = list(installed_codes)
        for index, code in enumerate(self.installed_codes):
            self.fields[f"course_{index}_action"] = forms.ChoiceField(
                label=_("Course %(code)s is already installed") % {"code": code},
                choices=COURSE_CHOICES,
                initial=REFUSE,
            )
            self.fields[f"course_{index}_code"] = forms.CharField(
                label=_("New code for the copy of %(code)s") % {"code": code},
                required=False,
                max_length=30,
            )

    def course_rows(self):
        for index, code in enumerate(self.installed_codes):
            yield code, self[f"course_{index}_action"], self[f"course_{index}_code"]

    def clean(self):
        cleaned = super().clean()
        for index, code in enumerate(self.installed_codes):
            if (
                cleaned.get(f"course_{index}_action") == COPY
                and not cleaned.get(f"course_{index}_code", "").strip()
            ):
                self.add_error(
                    f"course_{index}_code",
                    _("Give the copy of %(code)s a new code.") % {"code": code},
                )
        return cleaned

    def options_data(self) -> dict:
        cleaned = self.cleaned_data
        actions, codes = {}, {}
        for index, code in enumerate(self.installed_codes):
            actions[code] = cleaned[f"course_{index}_action"]
            if actions[code] == COPY:
                codes[code] = cleaned[f"course_{index}_code"].strip()
        return {
            "publish": cleaned["publish"],
            "update_provisions": cleaned["update_provisions"],
            "update_questions": cleaned["update_questions"],
            "on_existing": REFUSE,
            "course_actions": actions,
            "new_codes": codes,
        }
