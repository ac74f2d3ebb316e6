"""Trainees' views: register, cancel, and check in with the session's QR code."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from . import services, tokens
from .models import Registration, RegistrationStatus, TrainingSession

REFUSALS = {
    "expired": lambda: _(
        "This check-in code has expired: the code on the trainer's screen changes every "
        "30 seconds. Scan the code shown now."
    ),
    "forged": lambda: _(
        "This is not a valid check-in code. Scan the code on the trainer's screen."
    ),
}


def _refused(request, error: tokens.TokenRefused, status: int = 400):
    message = REFUSALS.get(error.reason, REFUSALS["forged"])()
    return render(request, "workshops/checkin_refused.html", {"message": message}, status=status)


@login_required
@require_POST
def register(request, session_id: int):
    session = get_object_or_404(TrainingSession.objects.select_related("step"), pk=session_id)
    try:
        registration = services.registration_create(user=request.user, session=session)
    except services.WorkshopError as error:
        messages.error(request, str(error))
    else:
        if registration.status == RegistrationStatus.REGISTERED:
            messages.success(
                request, _("You are registered. The confirmation and invitation are on their way.")
            )
        else:
            messages.info(
                request,
                _(
                    "The session is full: you are on the waiting list. We will e-mail you if a "
                    "seat becomes free."
                ),
            )
    return redirect(session.step.get_url(request))


@login_required
@require_POST
def cancel(request, registration_id: int):
    registration = get_object_or_404(
        Registration.objects.select_related("session__step"),
        pk=registration_id,
        user=request.user,
    )
    try:
        services.registration_cancel(registration=registration)
    except services.WorkshopError as error:
        messages.error(request, str(error))
    else:
        messages.info(request, _("Your registration is cancelled."))
    return redirect(registration.session.step.get_url(request))


@login_required
@require_GET
def checkin(request, token: str):
    """The page the session's QR code opens. Nothing is written here: the trainee confirms
    with one tap, which sends a receipt bound to them (valid for a few minutes, so a slow
    connection does not lose a check-in)."""
    try:
        session = services.checkin_by_session_token(token=token, user=request.user)
    except tokens.TokenRefused as error:
        return _refused(request, error)
    receipt = tokens.receipt_make(session_id=session.pk, user_id=request.user.pk)
    return render(
        request,
        "workshops/checkin_confirm.html",
        {"session": session, "receipt": receipt, "is_open": services.checkin_is_open(session)},
    )


@login_required
@require_POST
def checkin_confirm(request):
    try:
        result = services.checkin_by_receipt(
            receipt=request.POST.get("receipt", ""), user=request.user
        )
    except tokens.TokenRefused as error:
        return _refused(request, error)
    except services.WorkshopError as error:
        return render(
            request, "workshops/checkin_refused.html", {"message": str(error)}, status=400
        )
    return render(request, "workshops/checkin_done.html", {"result": result})
