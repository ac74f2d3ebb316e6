"""Writes for HR: reading an upload into a RosterImport, applying it in one transaction
(audited), and sending invitations from their outbox."""

import hashlib
import logging
from datetime import timedelta

from allauth.account import app_settings as allauth_settings
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Organisation, User
from accounts.roles import TRAINEE
from accounts.services import user_add_to_role
from audit.services import audit_record
from courses.models import LearningPath
from courses.services import user_path_assignment_ensure

from . import roster
from .models import ImportKind, RosterImport, StaffRecord
from .tables import read_table

logger = logging.getLogger(__name__)


class RosterApplyError(Exception):
    """The import cannot be applied as it stands; the message is shown to the person."""


def roster_read(
    *, data: bytes, filename: str, kind: str, actor, scope: Organisation | None
) -> RosterImport:
    """Read the file (refusing it whole when it is not a usable table), plan every row and
    keep both, for the preview. Raises TableError."""
    if kind == ImportKind.STAFF:
        table = read_table(
            data, aliases=roster.aliases(roster.STAFF_HEADERS), required=roster.STAFF_REQUIRED
        )
    else:
        table = read_table(
            data, aliases=roster.aliases(roster.UNIT_HEADERS), required=roster.UNIT_REQUIRED
        )
    plans = _plan(kind, table.rows, scope)
    return RosterImport.objects.create(
        kind=kind,
        filename=filename[:255],
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=actor,
        scope=scope,
        rows=[[line, values] for line, values in table.rows],
        report=[p.as_dict() for p in plans],
    )


def _plan(kind, rows, scope):
    if kind == ImportKind.STAFF:
        return roster.plan_staff(rows, scope=scope)
    return roster.plan_units(rows, scope=scope)


def roster_apply(*, roster_import: RosterImport, actor, request=None) -> RosterImport:
    """Apply an import once: every row is planned again against the database as it is now
    and the rows that pass are applied together, or none are. Refused rows change nothing."""
    try:
        with transaction.atomic():
            locked = RosterImport.objects.select_for_update().get(pk=roster_import.pk)
            if locked.applied_at is not None:
                raise RosterApplyError(_("This file was already applied."))
            rows = [(line, values) for line, values in locked.rows]
            plans = _plan(locked.kind, rows, locked.scope)
            if locked.kind == ImportKind.STAFF:
                _apply_staff(plans, locked, actor)
            else:
                _apply_units(plans)
            locked.report = [p.as_dict() for p in plans]
            locked.applied_at = timezone.now()
            locked.save(update_fields=["report", "applied_at"])
            counts = roster.summary(plans)
            audit_record(
                action=f"hr.import_{locked.kind}",
                actor=actor,
                target=locked,
                summary=(
                    f"{locked.filename}: {counts['create']} created, {counts['update']} "
                    f"updated, {counts['unchanged']} unchanged, {counts['refuse']} refused"
                ),
                data={
                    "file_sha256": locked.sha256,
                    "counts": counts,
                    "report_sha256": hashlib.sha256(
                        repr(locked.report).encode("utf-8")
                    ).hexdigest(),
                    "changed": [
                        {
                            "line": p.line,
                            "action": p.action,
                            "key": p.values.get("email") or p.values.get("code"),
                            "fields": p.changes,
                        }
                        for p in plans
                        if p.action in ("create", "update")
                    ][:2000],
                },
                request=request,
            )
    except IntegrityError as error:
        logger.warning("roster import %s collided: %s", roster_import.pk, error)
        raise RosterApplyError(
            _("Someone changed the same people or units meanwhile. Upload the file again.")
        ) from error
    if locked.kind == ImportKind.STAFF:
        # The mails go from a task worker; the outbox rows are already committed, so a lost
        # task leaves them to the scheduled send_invitations.
        from .tasks import send_invitations

        send_invitations.enqueue(locked.pk)
    return locked


def _apply_staff(plans, roster_import: RosterImport, actor) -> None:
    today = timezone.localdate()
    role_paths = {p.job_role: p for p in LearningPath.objects.exclude(job_role="")}
    created_by_email: dict[str, User] = {}
    touched: dict[int, tuple[User, roster.RowPlan, bool]] = {}
    existing = User.objects.in_bulk([p.target_id for p in plans if p.target_id])
    for plan in plans:
        if plan.action not in ("create", "update"):
            continue
        v = plan.values
        if plan.action == "create":
            user = User(
                email=v["email"],
                full_name=v["full_name"],
                staff_id=v["staff_id"],
                job_role=v["job_role"],
                organisation_id=plan.organisation_id,
            )
            user.set_unusable_password()
            user.save()
            EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=False)
            user_add_to_role(user=user, role=TRAINEE)
            StaffRecord.objects.create(user=user, imported_by=roster_import, invitation_due=True)
            created_by_email[user.email] = user
            touched[user.pk] = (user, plan, True)
        else:
            user = existing[plan.target_id]
            old_role = user.job_role
            fields = [f for f in plan.changes if f != "manager"]
            user.full_name = v["full_name"]
            user.staff_id = v["staff_id"]
            user.job_role = v["job_role"]
            user.organisation_id = plan.organisation_id
            if fields:
                user.save(
                    update_fields=["organisation" if f == "organisation_id" else f for f in fields]
                )
            StaffRecord.objects.get_or_create(user=user, defaults={"imported_by": roster_import})
            touched[user.pk] = (user, plan, old_role != user.job_role)
    # Managers once everyone in the file exists; roles' paths assigned at once.
    for user, plan, role_new in touched.values():
        if plan.manager_email:
            manager_id = plan.manager_id or created_by_email[plan.manager_email].pk
            StaffRecord.objects.filter(user=user).update(manager_id=manager_id)
        path = role_paths.get(user.job_role)
        if role_new and path is not None:
            due = today + timedelta(days=path.due_days) if path.due_days else None
            user_path_assignment_ensure(user=user, path=path, due_date=due, assigned_by=actor)


def _apply_units(plans) -> None:
    by_code: dict[str, Organisation] = {}
    for plan in plans:
        v = plan.values
        if plan.action == "create":
            fields = {
                "name": v["name"],
                "code": v["code"],
                "agency_type": v["agency_type"],
                "province": v["province"],
            }
            if plan.parent_code:
                parent = by_code[plan.parent_code.casefold()]
            elif plan.parent_id:
                parent = Organisation.objects.get(pk=plan.parent_id)
            else:
                parent = None
            unit = parent.add_child(**fields) if parent else Organisation.add_root(**fields)
            by_code[v["code"].casefold()] = unit
        elif plan.action == "update":
            unit = Organisation.objects.get(pk=plan.target_id)
            for name in plan.changes:
                setattr(unit, name, v[name])
            unit.save(update_fields=plan.changes)
            by_code[v["code"].casefold()] = unit
        elif plan.action == "unchanged":
            by_code[v["code"].casefold()] = Organisation.objects.get(pk=plan.target_id)


def invitation_url(user) -> str:
    """allauth's own set-password link (its token generator and view), valid for
    PASSWORD_RESET_TIMEOUT."""
    token = allauth_settings.PASSWORD_RESET_TOKEN_GENERATOR().make_token(user)
    path = reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(user), "key": token},
    )
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def invitations_send(*, roster_import: RosterImport | None = None, limit: int = 500) -> int:
    """Send the invitations that are due (the StaffRecord rows are their outbox): each row
    is claimed under a lock and marked sent in the transaction that sends its mail, so a
    crash before the commit leaves it due and a second sender skips it."""
    sent = 0
    pending = StaffRecord.objects.filter(invitation_due=True)
    if roster_import is not None:
        pending = pending.filter(imported_by=roster_import)
    for record_id in list(pending.values_list("pk", flat=True)[:limit]):
        with transaction.atomic():
            record = (
                StaffRecord.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("user", "user__organisation")
                .filter(pk=record_id, invitation_due=True)
                .first()
            )
            if record is None:
                continue
            _invitation_mail(record.user)
            record.invitation_due = False
            record.invited_at = timezone.now()
            record.save(update_fields=["invitation_due", "invited_at"])
            sent += 1
    return sent


def _invitation_mail(user) -> None:
    with translation.override("vi"):
        context = {
            "user": user,
            "url": invitation_url(user),
            "site": settings.WAGTAILADMIN_BASE_URL,
            "days": settings.PASSWORD_RESET_TIMEOUT // 86400,
        }
        subject = " ".join(render_to_string("hr/email/invitation_subject.txt", context).split())
        body = render_to_string("hr/email/invitation_body.txt", context)
    message = EmailMultiAlternatives(
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject, body=body, to=[user.email]
    )
    message.send()


def invitation_accepted(*, user) -> None:
    """A person who set their password from the invitation link proved the mailbox is
    theirs: their address counts as verified."""
    if StaffRecord.objects.filter(user=user, invited_at__isnull=False).exists():
        EmailAddress.objects.filter(user=user, email__iexact=user.email).update(verified=True)


def transcript_issue(*, user, actor, request=None):
    """Snapshot, sign (the certificates' Ed25519 key) and record a person's training record;
    returns (record, pdf bytes). Audited."""
    from certificates import signing
    from certificates.pdf import qr_svg_data_uri, render_document_pdf

    from .models import TranscriptRecord
    from .transcript import canonical, transcript_content

    key = signing.platform_private_key()
    with transaction.atomic():
        code = signing.new_code()
        content = transcript_content(
            user=user,
            code=code,
            issued_on=timezone.localdate(),
            issuer=settings.CERTIFICATE_DEFAULT_ISSUER,
        )
        signature = signing.sign(canonical(content), key)
        record = TranscriptRecord.objects.create(
            code=code, user=user, issued_by=actor, content=content, signature=signature
        )
        audit_record(
            action="hr.transcript_issued",
            actor=actor,
            target=user,
            summary=f"training record {code}",
            data={"code": code},
            request=request,
        )
    link = transcript_verify_link(record)
    with translation.override("vi"):
        pdf = render_document_pdf(
            "hr/transcript_pdf.html",
            {"c": content, "qr": qr_svg_data_uri(link), "link": link, "signature": signature},
        )
    return record, pdf


def transcript_verify_link(record) -> str:
    from urllib.parse import quote

    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    return f"{base}/transcripts/verify/{record.code}/?s={quote(record.signature, safe='')}"
