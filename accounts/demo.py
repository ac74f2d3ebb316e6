"""Demo organisations and one account per role, for development and the demo only."""

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.db import transaction

from . import services
from .models import AgencyType, JobRole, Organisation, User
from .roles import ADMINISTRATOR, HR_OFFICER, TRAINEE, TRAINER

# Development only: load_demo refuses to run where DEMO_DATA_ALLOWED is not set.
DEMO_PASSWORD = "Demo-PCMD-2026"

# (name, agency type, children)
DEMO_ORGANISATIONS = [
    (
        "Công an thành phố Hà Nội",
        AgencyType.POLICE,
        [
            ("Phòng Cảnh sát hình sự", AgencyType.POLICE, []),
            ("Phòng Cảnh sát điều tra tội phạm về trật tự xã hội", AgencyType.POLICE, []),
        ],
    ),
    ("Viện kiểm sát nhân dân thành phố Hà Nội", AgencyType.PROCURACY, []),
    ("Tòa án nhân dân thành phố Hà Nội", AgencyType.COURT, []),
    ("Đội kiểm tra liên ngành phòng, chống mại dâm Hà Nội", AgencyType.INSPECTION_TEAM, []),
    ("Trung tâm Công tác xã hội Hà Nội", AgencyType.LABOUR_SOCIAL, []),
]
DEMO_PROVINCE = "Hà Nội"


@dataclass(frozen=True)
class DemoAccount:
    email: str
    full_name: str
    role: str
    job_role: str
    organisation: str


DEMO_ACCOUNTS = [
    DemoAccount(
        "hocvien@pcmd.example",
        "Nguyễn Thị Minh Anh",
        TRAINEE,
        JobRole.INVESTIGATOR,
        "Phòng Cảnh sát hình sự",
    ),
    DemoAccount(
        "giangvien@pcmd.example",
        "Trần Văn Bình",
        TRAINER,
        JobRole.OTHER,
        "Viện kiểm sát nhân dân thành phố Hà Nội",
    ),
    DemoAccount(
        "nhansu@pcmd.example",
        "Lê Thu Hà",
        HR_OFFICER,
        JobRole.OTHER,
        "Công an thành phố Hà Nội",
    ),
    DemoAccount(
        "quantri@pcmd.example",
        "Phạm Quốc Cường",
        ADMINISTRATOR,
        JobRole.OTHER,
        "Công an thành phố Hà Nội",
    ),
]


def _organisation_ensure(name, agency_type, parent):
    siblings = parent.get_children() if parent else Organisation.get_root_nodes()
    existing = siblings.filter(name=name).first()
    if existing:
        return existing
    return services.organisation_create(
        name=name, agency_type=agency_type, province=DEMO_PROVINCE, parent=parent
    )


def _organisations_ensure(entries, parent=None) -> dict[str, Organisation]:
    found = {}
    for name, agency_type, children in entries:
        node = _organisation_ensure(name, agency_type, parent)
        found[name] = node
        found.update(_organisations_ensure(children, parent=node))
    return found


@transaction.atomic
def demo_accounts_load() -> list[DemoAccount]:
    services.role_groups_sync()
    organisations = _organisations_ensure(DEMO_ORGANISATIONS)
    for account in DEMO_ACCOUNTS:
        user = User.objects.filter(email__iexact=account.email).first()
        if user is None:
            user = User.objects.create_user(
                email=account.email, password=DEMO_PASSWORD, full_name=account.full_name
            )
        user.full_name = account.full_name
        user.job_role = account.job_role
        user.organisation = organisations[account.organisation]
        user.is_superuser = account.role == ADMINISTRATOR
        user.is_staff = account.role == ADMINISTRATOR
        user.set_password(DEMO_PASSWORD)
        user.save()
        services.user_add_to_role(user=user, role=account.role)
        EmailAddress.objects.update_or_create(
            user=user, email=account.email, defaults={"verified": True, "primary": True}
        )
    return DEMO_ACCOUNTS
