"""HR scope that trainees cannot move: a certificate stays with the organisation recorded
on it at issue time; a trainee sets their organisation once and moves only when the new
organisation's HR approves (audited); a staff ID belongs to one account per top-level
agency, enforced by PostgreSQL. Tried as a trainee and another unit's HR would try it."""

import threading

import pytest
from django.db import connection
from django.test import Client

from accounts import services
from accounts.models import ChangeRequestStatus, OrganisationChangeRequest, User
from accounts.roles import HR_OFFICER
from audit.models import AuditEntry
from certificates.models import Certificate
from tests.factories.accounts import UserFactory, organisation_create
from tests.factories.certificates import certificate_create
from tests.mfa import password_login, staff_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def agencies():
    police = organisation_create("Bộ Công an")
    hanoi = organisation_create("Công an thành phố Hà Nội", parent=police)
    haiphong = organisation_create("Công an thành phố Hải Phòng", parent=police)
    court = organisation_create("Tòa án nhân dân tối cao", agency_type="court")
    return {"police": police, "hanoi": hanoi, "haiphong": haiphong, "court": court}


def _hr(unit) -> tuple[User, Client]:
    officer = UserFactory(role=HR_OFFICER, organisation=unit)
    client = Client()
    staff_login(client, officer)
    return officer, client


@pytest.fixture
def holder(agencies):
    """A Hà Nội officer with a certificate issued there."""
    person = UserFactory(
        full_name="Nguyễn Thị Minh Anh", organisation=agencies["hanoi"], staff_id="CA-0042"
    )
    return person, certificate_create(user=person)


def _revoke(client, certificate):
    return client.post(f"/hr/certificates/{certificate.code}/revoke/", {"reason": "Cấp nhầm"})


def _lookup(client, text) -> str:
    return client.get("/hr/certificates/", {"query": text}).content.decode()


def test_a_tampered_profile_post_does_not_move_the_trainee(client, agencies, holder):
    person, certificate = holder
    password_login(client, person)

    response = client.post(
        "/accounts/profile/",
        {
            "full_name": person.full_name,
            "staff_id": "CA-0042",
            "job_role": "investigator",
            "organisation": agencies["haiphong"].pk,  # the field is shown disabled
        },
    )

    assert response.status_code == 302
    person.refresh_from_db()
    assert person.organisation == agencies["hanoi"]
    _officer, haiphong_hr = _hr(agencies["haiphong"])
    assert _revoke(haiphong_hr, certificate).status_code == 404
    certificate.refresh_from_db()
    assert certificate.revoked_at is None


def test_an_organisation_is_set_once_at_profile_completion_and_audited(client, agencies):
    person = UserFactory()
    password_login(client, person)

    client.post(
        "/accounts/profile/",
        {
            "full_name": "Lê Văn Cường",
            "staff_id": "",
            "job_role": "investigator",
            "organisation": agencies["hanoi"].pk,
        },
    )

    person.refresh_from_db()
    assert person.organisation == agencies["hanoi"] and person.agency == agencies["police"]
    assert AuditEntry.objects.filter(action="organisation.set", target_id=str(person.pk)).exists()


def test_a_move_changes_no_hr_scope_until_approved_and_old_certificates_never(
    client, agencies, holder
):
    person, old_certificate = holder
    hanoi_hr_user, hanoi_hr = _hr(agencies["hanoi"])
    haiphong_hr_user, haiphong_hr = _hr(agencies["haiphong"])
    password_login(client, person)

    sent = client.post(
        "/accounts/profile/",
        {"to_organisation": agencies["haiphong"].pk, "reason": "Điều động công tác"},
    )

    assert sent.status_code == 302
    person.refresh_from_db()
    assert person.organisation == agencies["hanoi"]  # nothing moves on a request
    # Before approval: Hải Phòng's HR gets nothing of the certificate, Hà Nội's keeps it.
    assert _revoke(haiphong_hr, old_certificate).status_code == 404
    assert haiphong_hr.get(f"/certificates/{old_certificate.code}/pdf/").status_code == 404
    assert old_certificate.code not in _lookup(haiphong_hr, "CA-0042")
    assert old_certificate.code in _lookup(hanoi_hr, "CA-0042")
    # Hà Nội's HR (where the person is leaving) cannot approve the move.
    change = OrganisationChangeRequest.objects.get(user=person)
    decide = f"/hr/organisation-requests/{change.pk}/decide/"
    assert hanoi_hr.post(decide, {"decision": "approve"}).status_code == 404
    assert "Nguyễn Thị Minh Anh" not in hanoi_hr.get("/hr/organisation-requests/").content.decode()
    assert "Nguyễn Thị Minh Anh" in haiphong_hr.get("/hr/organisation-requests/").content.decode()

    approved = haiphong_hr.post(decide, {"decision": "approve"})

    assert approved.status_code == 302
    person.refresh_from_db()
    assert person.organisation == agencies["haiphong"]
    # The certificate issued in Hà Nội stays Hà Nội's, for revoking, the PDF and look-ups.
    assert haiphong_hr.get(f"/certificates/{old_certificate.code}/pdf/").status_code == 404
    assert old_certificate.code not in _lookup(haiphong_hr, "CA-0042")
    assert _revoke(haiphong_hr, old_certificate).status_code == 404
    assert hanoi_hr.get(f"/certificates/{old_certificate.code}/pdf/")["Content-Type"] == (
        "application/pdf"
    )
    # One issued after the move is Hải Phòng's.
    new_certificate = certificate_create(user=person, title="Khóa sau khi chuyển")
    assert new_certificate.code in _lookup(haiphong_hr, "CA-0042")
    assert new_certificate.code not in _lookup(hanoi_hr, "CA-0042")
    assert _revoke(hanoi_hr, new_certificate).status_code == 404
    assert _revoke(haiphong_hr, new_certificate).status_code == 302
    assert _revoke(hanoi_hr, old_certificate).status_code == 302
    assert Certificate.objects.get(pk=old_certificate.pk).revoked_at is not None

    actions = dict(
        AuditEntry.objects.filter(target_id=str(person.pk)).values_list("action", "actor_id")
    )
    assert actions["organisation.change_requested"] == person.pk
    assert actions["organisation.change_approved"] == haiphong_hr_user.pk
    assert hanoi_hr_user.pk not in actions.values()


def test_another_units_hr_cannot_decide_and_a_decided_request_stays_decided(agencies, holder):
    person, _certificate = holder
    change = services.organisation_change_request(
        user=person, to_organisation=agencies["haiphong"], reason="Điều động"
    )
    _court_hr_user, court_hr = _hr(agencies["court"])
    decide = f"/hr/organisation-requests/{change.pk}/decide/"

    assert court_hr.post(decide, {"decision": "approve"}).status_code == 404
    assert court_hr.get(decide).status_code == 405
    _officer, haiphong_hr = _hr(agencies["haiphong"])
    assert haiphong_hr.post(decide, {"decision": "maybe"}).status_code == 404
    assert haiphong_hr.post(decide, {"decision": "reject"}).status_code == 302
    assert haiphong_hr.post(decide, {"decision": "approve"}).status_code == 404  # decided
    person.refresh_from_db()
    change.refresh_from_db()
    assert person.organisation == agencies["hanoi"] and change.status == "rejected"
    with pytest.raises(PermissionError):
        services.organisation_change_decide(change_request=change, by=_court_hr_user, approve=True)
    assert AuditEntry.objects.filter(action="organisation.change_rejected").count() == 1


def test_one_pending_request_at_a_time(agencies, holder):
    person, _certificate = holder
    services.organisation_change_request(
        user=person, to_organisation=agencies["haiphong"], reason="Điều động"
    )
    with pytest.raises(services.OrganisationChangeError):
        services.organisation_change_request(
            user=person, to_organisation=agencies["court"], reason="Điều động lần hai"
        )
    assert (
        OrganisationChangeRequest.objects.filter(
            user=person, status=ChangeRequestStatus.PENDING
        ).count()
        == 1
    )


def test_a_staff_id_of_the_same_agency_is_refused_in_vietnamese_and_another_agency_may_use_it(
    client, agencies, holder, vietnamese
):
    claimant = UserFactory(organisation=agencies["haiphong"])  # a sibling unit, same agency
    password_login(client, claimant)
    form = {"full_name": claimant.full_name, "staff_id": "CA-0042", "job_role": "investigator"}

    refused = client.post("/accounts/profile/", form)

    assert refused.status_code == 200
    assert "Mã cán bộ này đã được một tài khoản khác trong cơ quan của bạn sử dụng" in (
        refused.content.decode()
    )
    claimant.refresh_from_db()
    assert claimant.staff_id == ""
    judge = UserFactory(organisation=agencies["court"])
    password_login(client, judge)
    assert (
        client.post("/accounts/profile/", {**form, "full_name": "Phạm Văn Đức"}).status_code == 302
    )
    judge.refresh_from_db()
    assert judge.staff_id == "CA-0042"


def test_the_database_refuses_a_second_account_with_the_staff_id_even_past_the_form(
    agencies, holder
):
    from django.db import IntegrityError, transaction

    other = UserFactory(organisation=agencies["haiphong"])
    other.staff_id = "CA-0042"
    with pytest.raises(IntegrityError), transaction.atomic():
        other.save()
    with pytest.raises(services.StaffIdTaken):
        services.profile_update(
            user=User.objects.get(pk=other.pk),
            full_name=other.full_name,
            staff_id="CA-0042",
            job_role="investigator",
        )


def test_a_race_past_the_forms_check_still_gets_the_message_and_no_500(
    client, agencies, holder, monkeypatch, vietnamese
):
    from accounts import forms

    monkeypatch.setattr(forms, "staff_id_taken", lambda **kwargs: False)  # lost the race
    claimant = UserFactory(organisation=agencies["haiphong"])
    password_login(client, claimant)

    response = client.post(
        "/accounts/profile/",
        {"full_name": claimant.full_name, "staff_id": "CA-0042", "job_role": "investigator"},
    )

    assert response.status_code == 200
    assert "Mã cán bộ này đã được" in response.content.decode()


def test_a_staff_id_needs_an_organisation(client):
    person = UserFactory()
    password_login(client, person)

    response = client.post(
        "/accounts/profile/",
        {"full_name": person.full_name, "staff_id": "CA-1", "job_role": "investigator"},
    )

    assert response.status_code == 200
    person.refresh_from_db()
    assert person.staff_id == ""


def test_moving_a_unit_under_another_agency_is_refused_when_staff_ids_would_clash(agencies):
    from accounts.admin_views import OrganisationForm

    UserFactory(organisation=agencies["hanoi"], staff_id="X-1")
    UserFactory(organisation=agencies["court"], staff_id="X-1")
    unit = agencies["hanoi"]
    form = OrganisationForm(
        data={
            "name": unit.name,
            "agency_type": "police",
            "province": "",
            "parent": agencies["court"].pk,
        },
        instance=unit,
    )

    assert not form.is_valid() and "X-1" in str(form.errors["parent"])
    form = OrganisationForm(
        data={"name": "Tòa án cấp cao", "agency_type": "court", "province": ""},
        instance=agencies["court"],
    )
    assert form.is_valid()


@pytest.mark.django_db(transaction=True)
def test_two_people_saving_the_same_staff_id_at_once_one_gets_it(agencies):
    """Two profile saves with one staff ID, at the same moment, on PostgreSQL: the
    database lets exactly one through; the other is told plainly."""
    assert connection.vendor == "postgresql"
    people = [
        UserFactory(organisation=agencies["hanoi"]),
        UserFactory(organisation=agencies["haiphong"]),
    ]
    barrier = threading.Barrier(2)
    outcomes = []

    def save(person):
        try:
            barrier.wait()
            services.profile_update(
                user=User.objects.get(pk=person.pk),
                full_name=person.full_name,
                staff_id="CA-9999",
                job_role="investigator",
            )
            outcomes.append("saved")
        except services.StaffIdTaken as error:
            outcomes.append(str(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(outcomes) == 2 and outcomes.count("saved") == 1, outcomes
    assert User.objects.filter(staff_id="CA-9999").count() == 1


def test_unit_within_holds_a_unit_and_those_below_it_only(agencies):
    from accounts.selectors import unit_within

    police, hanoi, haiphong, court = (agencies[k] for k in ("police", "hanoi", "haiphong", "court"))
    assert unit_within(police, police) and unit_within(hanoi, police)
    assert unit_within(hanoi.path, police)  # a tree path, as the roster import has it
    assert not unit_within(police, hanoi)  # above
    assert not unit_within(haiphong, hanoi)  # beside
    assert not unit_within(court, police)  # another tree
    assert unit_within(court, None)  # an administrator's scope: every unit
    assert not unit_within(None, police)  # no unit: in nobody's scope
