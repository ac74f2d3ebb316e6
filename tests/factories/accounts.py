import factory
import pyotp
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP

from accounts import services
from accounts.models import JobRole, Organisation, User
from accounts.roles import TRAINEE

PASSWORD = "Mat-khau-an-toan-2026"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"nguoidung{n}@pcmd.example")
    full_name = factory.Sequence(lambda n: f"Nguyễn Văn Thử {n}")
    job_role = JobRole.INVESTIGATOR

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or PASSWORD)
        if create:
            obj.save(update_fields=["password"])

    @factory.post_generation
    def role(obj, create, extracted, **kwargs):
        if create:
            services.user_add_to_role(user=obj, role=extracted or TRAINEE)

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        if create:
            EmailAddress.objects.create(
                user=obj, email=obj.email, primary=True, verified=extracted is not False
            )


def organisation_create(name="Công an tỉnh Mẫu", parent=None, agency_type="police"):
    if parent is None:
        return Organisation.add_root(name=name, agency_type=agency_type)
    return parent.add_child(name=name, agency_type=agency_type)


def totp_activate(user) -> pyotp.TOTP:
    """Give the user an authenticator app, as if set up on the MFA page; returns a TOTP
    generator for producing valid codes."""
    secret = pyotp.random_base32()
    TOTP.activate(user, secret)
    return pyotp.TOTP(secret)
