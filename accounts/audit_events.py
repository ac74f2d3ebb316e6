"""Account events that go into the audit log: staff sign-ins and sign-outs, failed sign-ins
to staff accounts, every two-factor event (allauth's signals), and changes of roles, groups,
group permissions and the superuser/staff/active flags, whoever makes them and however
(Wagtail's user and group forms, the shell, a script).

Trainees' own sign-ins are not audited (they are not sensitive actions and would bury the
staff's); a trainee account that receives a staff role is, from that moment."""

from allauth.mfa import signals as mfa_signals
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.middleware import current_request
from audit.services import audit_record

from .roles import MFA_REQUIRED_ROLES
from .selectors import session_passed_mfa, user_requires_mfa

FLAGS = ("is_superuser", "is_staff", "is_active")
# The log's summaries are stored text, written in the platform's language (Vietnamese).
FLAG_LABELS = {
    "is_superuser": gettext_lazy("Superuser (all permissions)"),
    "is_staff": gettext_lazy("Admin site access"),
    "is_active": gettext_lazy("Account active"),
}


def _staff(user) -> bool:
    return user is not None and getattr(user, "pk", None) and user_requires_mfa(user=user)


def _second_factor(request) -> bool | None:
    # Django's test client and scripts sign in with a bare request (no user, no session).
    if request is None or not hasattr(request, "user") or not hasattr(request, "session"):
        return None
    return session_passed_mfa(request=request)


def on_logged_in(sender, request, user, **kwargs):
    if _staff(user):
        audit_record(
            action="auth.login",
            actor=user,
            target=user,
            request=request,
            data={"second_factor": _second_factor(request)},
        )


def on_logged_out(sender, request, user, **kwargs):
    if _staff(user):
        audit_record(action="auth.logout", actor=user, target=user, request=request)


def on_login_failed(sender, credentials, request=None, **kwargs):
    login = (credentials or {}).get("email") or (credentials or {}).get("username") or ""
    if not login:
        return
    user = get_user_model().objects.filter(email__iexact=login).first()
    # Failures against staff accounts only: anyone can type any address, and those are
    # counted by the rate limits instead.
    if _staff(user):
        audit_record(
            action="auth.login_failed",
            actor=None,
            target=user,
            request=request,
            summary=str(login)[:200],
            data={"login": str(login)[:200]},
        )


def _request_actor(request):
    user = getattr(request, "user", None) if request is not None else None
    return user if user is not None and user.is_authenticated else None


# Authenticators are audited as rows, inside the transaction that writes them (allauth's own
# signals for these fire after the commit, when a crash could lose the entry), and whatever
# writes them: allauth's pages, an administrator's shell, a script.
def on_authenticator_saved(sender, instance, created, **kwargs):
    if not created or instance.type not in (
        Authenticator.Type.TOTP,
        Authenticator.Type.RECOVERY_CODES,
    ):
        return
    request = current_request()
    action = (
        "mfa.activated"
        if instance.type == Authenticator.Type.TOTP
        else "mfa.recovery_codes_generated"
    )
    audit_record(
        action=action,
        actor=_request_actor(request),
        target=instance.user,
        request=request,
        data={"type": instance.type},
    )


def on_authenticator_deleted(sender, instance, **kwargs):
    # Recovery codes are deleted each time new ones are made; that is recorded as the new
    # codes' creation. Removing the authenticator app is the event that matters.
    if instance.type != Authenticator.Type.TOTP:
        return
    request = current_request()
    audit_record(
        action="mfa.deactivated",
        actor=_request_actor(request),
        target=instance.user,
        request=request,
        data={"type": instance.type},
    )


def on_authenticator_used(sender, request, user, authenticator, **kwargs):
    audit_record(
        action="mfa.authenticated",
        actor=user,
        target=user,
        request=request,
        data={"type": authenticator.type, "reauthenticated": bool(kwargs.get("reauthenticated"))},
    )


def on_authentication_failed(sender, request, user, authenticator=None, **kwargs):
    audit_record(
        action="mfa.failed",
        actor=None,
        target=user,
        request=request,
        data={"type": getattr(authenticator, "type", "")},
    )


# --- roles and groups ----------------------------------------------------------------------


def _group_names(pks) -> list[str]:
    return sorted(Group.objects.filter(pk__in=pks).values_list("name", flat=True))


def _record_role_change(user, *, added=(), removed=(), request=None):
    request = request or current_request()
    actor = getattr(request, "user", None) if request is not None else None
    names = set(added) | set(removed)
    by_someone_else = actor is not None and actor.is_authenticated and actor.pk != user.pk
    # A trainee's own role set at sign-up is not a sensitive change; a staff role granted
    # or withdrawn, or any change one person makes to another's groups, is.
    if not (names & MFA_REQUIRED_ROLES or by_someone_else):
        return
    audit_record(
        action="role.changed",
        target=user,
        request=request,
        summary=", ".join([f"+{n}" for n in added] + [f"−{n}" for n in removed]),
        data={"added": sorted(added), "removed": sorted(removed)},
    )


def on_user_groups_changed(sender, instance, action, reverse, pk_set, **kwargs):
    User = get_user_model()
    if action == "pre_clear":
        # Which groups a clear() removes is known only before it runs.
        if reverse:
            instance._audit_cleared = list(instance.user_set.values_list("pk", flat=True))
        else:
            instance._audit_cleared = list(instance.groups.values_list("pk", flat=True))
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if action == "post_clear":
        pk_set = set(getattr(instance, "_audit_cleared", []))
        action = "post_remove"
    if not pk_set:
        return
    if reverse:  # group.user_set.add(...): one group, several people
        for user in User.objects.filter(pk__in=pk_set):
            change = {"added" if action == "post_add" else "removed": [instance.name]}
            _record_role_change(user, **change)
    else:
        names = _group_names(pk_set)
        change = {"added" if action == "post_add" else "removed": names}
        _record_role_change(instance, **change)


def on_group_permissions_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear") or reverse:
        return
    request = current_request()
    if request is None:
        # Commands (migrate's role_groups_sync) set the groups the code defines; what a
        # person changes through the admin is what the log is for.
        return
    from django.contrib.auth.models import Permission

    codenames = sorted(
        Permission.objects.filter(pk__in=pk_set or ()).values_list("codename", flat=True)
    )
    audit_record(
        action="group.permissions_changed",
        target=instance,
        request=request,
        summary=f"{action.removeprefix('post_')}: {', '.join(codenames)[:400]}",
        data={"change": action.removeprefix("post_"), "permissions": codenames},
    )


def on_user_pre_save(sender, instance, update_fields=None, **kwargs):
    if instance.pk is None:
        instance._audit_flags = None
        return
    if update_fields is not None and not set(update_fields) & set(FLAGS):
        return  # e.g. last_login on every sign-in
    instance._audit_flags = get_user_model().objects.filter(pk=instance.pk).values(*FLAGS).first()


def _flag_value(value) -> str:
    return "-" if value is None else (_("Yes") if value else _("No"))


def _flags_summary(changed: dict) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return ", ".join(
            f"{FLAG_LABELS[flag]}: {_flag_value(old)} → {_flag_value(new)}"
            for flag, (old, new) in changed.items()
        )


def on_user_post_save(sender, instance, created, **kwargs):
    before = getattr(instance, "_audit_flags", None)
    instance._audit_flags = None
    now = {flag: getattr(instance, flag) for flag in FLAGS}
    if created:
        changed = {
            flag: [None, value] for flag, value in now.items() if value and flag != "is_active"
        }
    elif before is None:
        return
    else:
        changed = {flag: [before[flag], now[flag]] for flag in FLAGS if before[flag] != now[flag]}
    if not changed:
        return
    audit_record(
        action="role.changed",
        target=instance,
        request=current_request(),
        summary=_flags_summary(changed),
        data={"flags": changed},
    )


def connect():
    User = get_user_model()
    user_logged_in.connect(on_logged_in, dispatch_uid="audit-login")
    user_logged_out.connect(on_logged_out, dispatch_uid="audit-logout")
    user_login_failed.connect(on_login_failed, dispatch_uid="audit-login-failed")
    post_save.connect(on_authenticator_saved, sender=Authenticator, dispatch_uid="audit-mfa-saved")
    post_delete.connect(
        on_authenticator_deleted, sender=Authenticator, dispatch_uid="audit-mfa-deleted"
    )
    mfa_signals.authenticator_used.connect(on_authenticator_used, dispatch_uid="audit-mfa-used")
    mfa_signals.authentication_failed.connect(
        on_authentication_failed, dispatch_uid="audit-mfa-failed"
    )
    m2m_changed.connect(
        on_user_groups_changed, sender=User.groups.through, dispatch_uid="audit-user-groups"
    )
    m2m_changed.connect(
        on_group_permissions_changed,
        sender=Group.permissions.through,
        dispatch_uid="audit-group-permissions",
    )
    pre_save.connect(on_user_pre_save, sender=User, dispatch_uid="audit-user-flags-pre")
    post_save.connect(on_user_post_save, sender=User, dispatch_uid="audit-user-flags-post")
