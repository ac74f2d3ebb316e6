"""The platform's roles, as Django groups, and what each may do.

Groups are kept in step with this table after every `migrate`, so a permission added here
reaches existing databases without a hand-written data migration.
"""

from django.utils.translation import gettext_lazy as _

# Group names, as administrators see them in the admin (migration accounts 0002 renamed the
# English names of earlier databases).
TRAINEE = "Học viên"
TRAINER = "Giảng viên"
HR_OFFICER = "Cán bộ nhân sự"
ADMINISTRATOR = "Quản trị viên"

ROLE_LABELS = {
    TRAINEE: _("Trainee"),
    TRAINER: _("Trainer"),
    HR_OFFICER: _("HR officer"),
    ADMINISTRATOR: _("Administrator"),
}

# Roles whose accounts must have two-factor authentication before reaching staff areas.
MFA_REQUIRED_ROLES = frozenset({TRAINER, HR_OFFICER, ADMINISTRATOR})

# "app_label.codename" entries; "*" means every permission that exists.
ROLE_PERMISSIONS: dict[str, list[str]] = {
    TRAINEE: [],
    TRAINER: [
        "wagtailadmin.access_admin",
        "wagtailimages.add_image",
        "wagtailimages.change_image",
        "wagtailimages.choose_image",
        "wagtaildocs.add_document",
        "wagtaildocs.change_document",
        "wagtaildocs.choose_document",
        "content.add_legalprovision",
        "content.change_legalprovision",
        "content.view_legalprovision",
        "courses.add_learningpath",
        "courses.change_learningpath",
        "courses.view_learningpath",
        "courses.add_assignment",
        "courses.change_assignment",
        "courses.delete_assignment",
        "courses.view_assignment",
        "assessments.add_question",
        "assessments.change_question",
        "assessments.view_question",
        "assessments.add_questioncategory",
        "assessments.change_questioncategory",
        "assessments.view_questioncategory",
        "certificates.add_certificatetemplate",
        "certificates.change_certificatetemplate",
        "certificates.view_certificatetemplate",
        "workshops.add_trainingsession",
        "workshops.change_trainingsession",
        "workshops.delete_trainingsession",
        "workshops.view_trainingsession",
        "content.add_h5pcontent",
        "content.change_h5pcontent",
        "content.view_h5pcontent",
        # Course packages: a trainer imports as drafts; H5P libraries still need approval.
        "packages.add_packageimport",
    ],
    HR_OFFICER: [
        "accounts.access_hr_area",
        "accounts.view_user",
        "accounts.view_organisation",
        # Roster and units imports for their own unit and the units below it.
        "hr.add_rosterimport",
    ],
    ADMINISTRATOR: ["*"],
}
