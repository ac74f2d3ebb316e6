"""Writes for the audit log. Every app records its sensitive actions with `audit_record`."""

import base64

from django.db import connection, transaction
from django.utils import timezone

from . import chain
from .models import AuditAnchor, AuditEntry
from .request_info import client_ip, user_agent

# One PostgreSQL advisory lock serialises appends, so two transactions never both take the
# same head. Held until the surrounding transaction ends.
_CHAIN_LOCK_KEY = 0x50434D44_41554454  # "PCMD" "AUDT"


def _lock_chain() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])


def _actor_label(actor) -> str:
    email = getattr(actor, "email", "") or ""
    name = getattr(actor, "full_name", "") or ""
    return f"{name} <{email}>" if name and email else (email or name or str(actor))


def audit_record(
    *,
    action: str,
    actor=None,
    target=None,
    summary: str = "",
    data: dict | None = None,
    request=None,
) -> AuditEntry:
    """Append one entry. Call it inside the transaction of the action it records, so the
    action and its entry are committed together or not at all.

    `actor` defaults to the request's signed-in user; `target` is any model instance (its
    type, primary key and text are kept, so the entry outlives the object).
    """
    if actor is None and request is not None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            actor = user
    if actor is not None and not getattr(actor, "pk", None):
        actor = None
    with transaction.atomic():
        _lock_chain()
        head = AuditEntry.objects.order_by("-seq").only("seq", "hash").first()
        entry = AuditEntry(
            seq=head.seq + 1 if head else 1,
            at=timezone.now(),
            action=chain.clean_text(action, 64),
            actor_id=actor.pk if actor is not None else None,
            actor_label=chain.clean_text(_actor_label(actor), 255) if actor is not None else "",
            target_type=(
                f"{target._meta.app_label}.{target._meta.model_name}" if target is not None else ""
            ),
            target_id=chain.clean_text(target.pk, 64) if target is not None else "",
            target_label=chain.clean_text(target, 255) if target is not None else "",
            summary=chain.clean_text(summary, 500),
            data=chain.normalise_data(data or {}),
            ip=client_ip(request) if request is not None else None,
            user_agent=chain.clean_text(user_agent(request), 300) if request is not None else "",
            prev_hash=head.hash if head else chain.GENESIS,
        )
        entry.hash = chain.entry_hash(entry)
        entry.save(_append=True)
    return entry


def audit_head_sign() -> AuditAnchor | None:
    """Sign the current chain head with the platform key (none while the log is empty)."""
    from .signing import platform_private_key

    with transaction.atomic():
        _lock_chain()
        head = AuditEntry.objects.order_by("-seq").only("seq", "hash").first()
        if head is None:
            return None
        latest = AuditAnchor.objects.order_by("-seq").first()
        if latest is not None and latest.seq == head.seq:
            return latest
        signature = platform_private_key().sign(chain.anchor_message(seq=head.seq, hash=head.hash))
        return AuditAnchor.objects.create(
            seq=head.seq,
            hash=head.hash,
            signed_at=timezone.now(),
            signature=base64.urlsafe_b64encode(signature).decode().rstrip("="),
        )
