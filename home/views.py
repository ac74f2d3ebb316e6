from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from courses.selectors import dashboard_for


@login_required
def dashboard(request):
    return render(request, "home/dashboard.html", dashboard_for(user=request.user))
