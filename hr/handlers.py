from .services import invitation_accepted


def on_password_reset(sender, request, user, **kwargs):
    invitation_accepted(user=user)
