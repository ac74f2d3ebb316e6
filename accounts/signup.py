"""Sign-up that answers in the same time whether or not the address already has an account
(issue 9, point 5). allauth's enumeration prevention already gives the same page and sends
a mail in both cases; what still differed was the work: a new account hashes its password
(PBKDF2, by far the slowest step), an existing address did not. Here the existing-address
path hashes the typed password too, and both paths hand their mail to a background task
(accounts.tasks), so no SMTP round trip is timed either. scripts/bench_signup.py prints the
ratio of the two paths' times."""

from allauth.account.forms import SignupForm as AllauthSignupForm
from django.contrib.auth.hashers import make_password


class SignupForm(AllauthSignupForm):
    def try_save(self, request):
        if self.account_already_exists:
            # The cost a new account pays in save_user(); the result is thrown away.
            make_password(self.cleaned_data.get("password1") or None)
        return super().try_save(request)
