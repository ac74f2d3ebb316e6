from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django import forms
from django.contrib.sites.shortcuts import get_current_site
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

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Rendered now, in the request's language; sent by a background task, so that no
        answer waits for the mail server (sign-up takes as long for a registered address,
        which gets a notice, as for a new one, which gets its verification link)."""
        from .tasks import send_account_mail

        request = allauth_context.request
        message = self.render_mail(
            template_prefix,
            email,
            {
                "request": request,
                "email": email,
                "current_site": get_current_site(request),
                **context,
            },
        )
        html = next(
            (body for body, mime in getattr(message, "alternatives", []) if mime == "text/html"),
            None,
        )
        body = message.body
        if message.content_subtype == "html":
            html, body = message.body, ""
        send_account_mail.enqueue(
            subject=str(message.subject),
            body=body,
            from_email=message.from_email,
            to=list(message.to),
            html=html,
            headers=dict(message.extra_headers) or None,
        )
