from allauth.account.adapter import DefaultAccountAdapter
from django import forms
from django.utils.translation import gettext as _

from .models import SignupPolicy


class AccountAdapter(DefaultAccountAdapter):
    def clean_email(self, email: str) -> str:
        email = super().clean_email(email)
        policy = SignupPolicy.load()
        if not policy.allows(email):
            raise forms.ValidationError(
                _(
                    "Sign-up is limited to e-mail addresses of these domains: %(domains)s. "
                    "Please use your official work e-mail address."
                )
                % {"domains": ", ".join(policy.domain_list) or "—"},
                code="domain_not_allowed",
            )
        return email
