import pytest

from accounts.models import AgencyType, Organisation
from accounts.roles import ADMINISTRATOR, HR_OFFICER
from courses.models import LearningPath
from tests.factories.accounts import UserFactory


@pytest.fixture
def tree(db):
    """Two provincial police agencies; the HR officer works in province A's headquarters."""
    a = Organisation.add_root(name="Công an tỉnh An Giang", code="CA-AG", agency_type="police")
    a_pc02 = a.add_child(name="Phòng Cảnh sát hình sự", code="CA-AG-PC02", agency_type="police")
    a_pc06 = a.add_child(name="Phòng Cảnh sát quản lý hành chính", code="CA-AG-PC06")
    a_team = a_pc02.add_child(name="Đội 1", code="CA-AG-PC02-D1", agency_type="police")
    b = Organisation.add_root(
        name="Công an tỉnh Bến Tre", code="CA-BT", agency_type=AgencyType.POLICE
    )
    b_pc02 = b.add_child(name="Phòng Cảnh sát hình sự", code="CA-BT-PC02")
    return {
        "a": Organisation.objects.get(pk=a.pk),
        "a_pc02": Organisation.objects.get(pk=a_pc02.pk),
        "a_pc06": Organisation.objects.get(pk=a_pc06.pk),
        "a_team": Organisation.objects.get(pk=a_team.pk),
        "b": Organisation.objects.get(pk=b.pk),
        "b_pc02": Organisation.objects.get(pk=b_pc02.pk),
    }


@pytest.fixture
def hr_officer(tree):
    return UserFactory(
        full_name="Lê Thu Hà", email="thuha@ag.example", role=HR_OFFICER, organisation=tree["a"]
    )


@pytest.fixture
def administrator(db):
    return UserFactory(email="quantri@pcmd.example", role=ADMINISTRATOR, is_superuser=True)


@pytest.fixture
def investigator_path(db):
    return LearningPath.objects.create(
        name="Lộ trình điều tra viên", job_role="investigator", due_days=60
    )
