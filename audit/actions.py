"""Names of audited actions, with their labels for the log's screen. Apps may record other
dotted names; these are the ones the platform records today."""

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "auth.login": _("Staff sign-in"),
    "auth.login_failed": _("Failed sign-in"),
    "auth.logout": _("Staff sign-out"),
    "mfa.authenticated": _("Two-factor step passed"),
    "mfa.activated": _("Authenticator app set up"),
    "mfa.deactivated": _("Authenticator app removed"),
    "mfa.recovery_codes_generated": _("Recovery codes generated"),
    "mfa.failed": _("Two-factor code refused"),
    "role.changed": _("Roles changed"),
    "group.permissions_changed": _("Group permissions changed"),
    "organisation.change_requested": _("Organisation change requested"),
    "organisation.change_approved": _("Organisation change approved"),
    "organisation.change_rejected": _("Organisation change rejected"),
    "organisation.set": _("Organisation set"),
    "course.owner_added": _("Course owner added"),
    "course.owner_removed": _("Course owner removed"),
    "quiz.regraded": _("Quiz regraded"),
    "certificate.issued": _("Certificate issued"),
    "certificate.revoked": _("Certificate revoked"),
    "certificate.reissued": _("Certificate reissued"),
    "h5p.library_approved": _("H5P library approved"),
    "export.personal_data": _("Personal data exported"),
    "attendance.marked": _("Attendance marked"),
    "course_package.imported": _("Course package imported"),
}


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))
