"""HR screens of the accounts app: organisation change requests."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from . import services
from .selectors import organisation_requests_for


@login_required
@permission_required("accounts.access_hr_area", raise_exception=True)
@require_GET
def organisation_requests(request):
    return render(
        request,
        "accounts/hr_organisation_requests.html",
        {"requests": organisation_requests_for(hr_user=request.user)},
    )


@login_required
@permission_required("accounts.access_hr_area", raise_exception=True)
@require_POST
def organisation_request_decide(request, request_id: int):
    # A request outside the officer's organisation answers exactly like a missing one.
    change = organisation_requests_for(hr_user=request.user).filter(pk=request_id).first()
    decision = request.POST.get("decision")
    if change is None or decision not in {"approve", "reject"}:
        raise Http404
    try:
        services.organisation_change_decide(
            change_request=change, by=request.user, approve=decision == "approve", request=request
        )
    except (services.OrganisationChangeError, services.StaffIdTaken) as error:
        messages.error(request, str(error))
    else:
        if decision == "approve":
            messages.success(
                request,
                _("%(person)s now belongs to %(unit)s.")
                % {"person": change.user, "unit": change.to_organisation},
            )
        else:
            messages.info(
                request,
                _("Request refused; %(person)s stays where they were.") % {"person": change.user},
            )
    return redirect("accounts_hr_organisation_requests")
