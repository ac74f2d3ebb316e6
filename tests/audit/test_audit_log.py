"""The audit log: append-only, hash-chained, verifiable, readable by administrators only."""

import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, transaction
from django.test import RequestFactory

from accounts.roles import ADMINISTRATOR, TRAINER
from audit import chain
from audit.models import AuditAnchor, AuditEntry, AuditLogIsAppendOnly
from audit.selectors import audit_chain_verify
from audit.services import audit_head_sign, audit_record
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


def _record_some(n=5, actor=None):
    return [
        audit_record(
            action="export.personal_data",
            actor=actor,
            summary=f"xuất lần {i}",
            data={"what": "course_learners", "rows": i, "format": "csv", "score": 2.5},
        )
        for i in range(n)
    ]


def _raw_sql(sql, params=()):
    """What someone with the database owner's rights could do, bypassing the application."""
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER USER")
        cursor.execute(sql, params)
        cursor.execute("ALTER TABLE audit_auditentry ENABLE TRIGGER USER")


def test_entries_chain_each_to_the_one_before(trainer):
    first, second, third = _record_some(3, actor=trainer)

    # (Making the trainer a trainer was itself recorded: the log may not start here.)
    assert AuditEntry.objects.get(seq=1).prev_hash == chain.GENESIS
    assert second.seq == first.seq + 1 and third.seq == second.seq + 1
    assert second.prev_hash == first.hash and third.prev_hash == second.hash
    assert third.actor_label == "Trần Văn Bình <binh@pcmd.example>"
    stored = AuditEntry.objects.get(pk=third.pk)
    # The hash recomputed from the stored row (jsonb and all) is the one written.
    assert chain.entry_hash(stored) == stored.hash


def test_verify_passes_on_a_clean_log(capsys):
    _record_some(4)
    audit_head_sign()
    _record_some(2)

    call_command("verify_audit_log")

    out = capsys.readouterr().out
    assert "6 entries" in out and "1 signed heads" in out


def test_verify_names_the_entry_whose_row_was_altered_in_the_database():
    entries = _record_some(6)
    _raw_sql(
        "UPDATE audit_auditentry SET data = jsonb_set(data, '{rows}', '999') WHERE seq = %s",
        [entries[3].seq],
    )

    with pytest.raises(CommandError, match=r"broken at entry #4: its contents do not match"):
        call_command("verify_audit_log")


def test_verify_names_a_deleted_entry():
    _record_some(5)
    _raw_sql("DELETE FROM audit_auditentry WHERE seq = 3")

    report = audit_chain_verify()

    assert report.problem.seq == 3 and "missing" in report.problem.reason


def test_a_rewritten_tail_is_caught_by_the_signed_head():
    """Someone who recomputes every hash after the row they changed keeps the chain
    consistent; the signed head they cannot forge still gives them away."""
    entries = _record_some(5)
    audit_head_sign()
    victim = AuditEntry.objects.get(seq=entries[2].seq)
    rewritten = list(AuditEntry.objects.filter(seq__gte=victim.seq).order_by("seq"))
    rewritten[0].summary = "không có gì"
    prev = AuditEntry.objects.get(seq=victim.seq - 1).hash
    for entry in rewritten:
        entry.prev_hash = prev
        entry.hash = chain.entry_hash(entry)
        prev = entry.hash
    _raw_sql("UPDATE audit_auditentry SET prev_hash = 'x' || id, hash = 'y' || id WHERE seq >= 3")
    for entry in rewritten:
        _raw_sql(
            "UPDATE audit_auditentry SET summary = %s, prev_hash = %s, hash = %s WHERE id = %s",
            [entry.summary, entry.prev_hash, entry.hash, entry.pk],
        )
    assert chain.first_break(AuditEntry.objects.order_by("seq")) is None

    report = audit_chain_verify()

    assert report.problem.seq == 5 and "rewritten" in report.problem.reason


def test_a_log_cut_short_after_signing_is_caught():
    _record_some(4)
    audit_head_sign()
    _raw_sql("DELETE FROM audit_auditentry WHERE seq = 4")

    report = audit_chain_verify()

    assert report.problem.seq == 4 and "no longer in the log" in report.problem.reason


def test_the_application_cannot_change_or_delete_entries():
    entry = _record_some(1)[0]

    with pytest.raises(AuditLogIsAppendOnly):
        entry.summary = "sửa"
        entry.save()
    with pytest.raises(AuditLogIsAppendOnly):
        entry.delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEntry.objects.filter(pk=entry.pk).update(summary="sửa")
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEntry.objects.all().delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEntry(action="x", seq=99, prev_hash="a", hash="b").save()


def test_postgresql_refuses_updates_and_deletes_even_in_raw_sql():
    _record_some(1)
    for sql in ("UPDATE audit_auditentry SET summary = 'x'", "DELETE FROM audit_auditentry"):
        with (
            pytest.raises(Exception, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql)
    assert AuditEntry.objects.count() == 1


def test_request_details_are_kept_and_hostile_text_is_stored_safely(trainer):
    # REMOTE_ADDR is the client's (TrustedProxyMiddleware set it); forwarding headers that
    # reach the view were written by the client and are not believed.
    request = RequestFactory().get(
        "/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="1.2.3.4", HTTP_X_REAL_IP="1.2.3.5"
    )
    request.user = trainer

    entry = audit_record(
        action="auth.login_failed",
        summary="a\x00b" + "x" * 900,
        data={"login": "evil\x00@x", "at": {1, 2}},
        request=request,
    )

    stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.ip == "203.0.113.9"
    assert stored.actor_id == trainer.pk
    assert len(stored.summary) == 500 and "\x00" not in stored.summary
    assert chain.entry_hash(stored) == stored.hash


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_never_fork_the_chain():
    errors = []

    def write():
        try:
            for _ in range(5):
                audit_record(action="export.personal_data", summary="song song")
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=write) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert AuditEntry.objects.count() == 30
    assert audit_chain_verify().ok


def test_prev_hash_is_unique_so_a_fork_cannot_be_stored():
    first = _record_some(1)[0]
    fork = AuditEntry(
        seq=2, at=first.at, action="x", prev_hash=first.prev_hash, hash="f" * 64, data={}
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        fork.save(_append=True)


def test_sign_audit_head_is_idempotent_and_registered_as_a_periodic_job(settings):
    _record_some(2)
    first = audit_head_sign()
    again = audit_head_sign()

    assert first.pk == again.pk and AuditAnchor.objects.count() == 1
    assert any(job["command"] == ["sign_audit_head"] for job in settings.SCHEDULED_JOBS)


def test_administrators_read_and_filter_the_log_but_find_no_way_to_write(client):
    from tests.factories.accounts import totp_activate
    from tests.mfa import mfa_login

    admin = UserFactory(role=ADMINISTRATOR, is_superuser=True)
    mfa_login(client, admin, totp_activate(admin))
    audit_record(action="certificate.revoked", actor=admin, summary="thu hồi ABC")
    audit_record(action="export.personal_data", actor=admin, summary="xuất học viên")

    listing = client.get("/admin/audit_log/", {"action": "certificate.revoked"})
    assert listing.status_code == 200
    body = listing.content.decode()
    assert "thu hồi ABC" in body and "xuất học viên" not in body
    entry = AuditEntry.objects.get(action="certificate.revoked")
    assert client.get(f"/admin/audit_log/inspect/{entry.pk}/").status_code == 200
    for path in (
        "/admin/audit_log/new/",
        f"/admin/audit_log/edit/{entry.pk}/",
        f"/admin/audit_log/delete/{entry.pk}/",
    ):
        assert client.get(path).status_code == 404
        assert client.post(path, {"summary": "x"}).status_code in (403, 404)
    assert AuditEntry.objects.get(pk=entry.pk).summary == "thu hồi ABC"


def test_trainers_cannot_read_the_log(client):
    from tests.factories.accounts import totp_activate
    from tests.mfa import mfa_login

    trainer = UserFactory(role=TRAINER)
    mfa_login(client, trainer, totp_activate(trainer))
    audit_record(action="certificate.revoked", summary="bí mật")

    response = client.get("/admin/audit_log/")

    assert response.status_code in (302, 403)
    assert "bí mật" not in response.content.decode()
