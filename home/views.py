from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language

from courses.learnercache import learner_version
from courses.selectors import dashboard_for

# A safety net for changes that bypass model signals (bulk updates, tree moves): a cached
# dashboard is at most this old. Every ordinary change makes a new version at once.
DASHBOARD_SECONDS = 10 * 60


def dashboard_key(*, user, language: str) -> str:
    # The user's id, their learning's version, the language and today's date (due and
    # overdue badges): another trainee, a change, a language or a new day is a new key.
    today = timezone.localdate().isoformat()
    return f"home:dashboard:{user.pk}:{learner_version(user.pk)}:{language}:{today}"


@login_required
def dashboard(request):
    key = dashboard_key(user=request.user, language=get_language())
    html = cache.get(key)
    if html is None:
        html = render_to_string(
            "home/_dashboard_content.html", dashboard_for(user=request.user), request=request
        )
        cache.set(key, html, DASHBOARD_SECONDS)
    return render(request, "home/dashboard.html", {"dashboard_html": html})
