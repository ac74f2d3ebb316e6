"""A trainee's calendar feed (.ics, RFC 5545 and 7986): their own due dates, as the dashboard
shows them (courses.selectors.assigned_for), at a secret address a calendar app subscribes
to without a session.

The address carries the person's id signed (HMAC, django.core.signing) with the platform's
secret and their CalendarFeed's random key: nothing secret is stored, a tampered address or
another person's signature fails, and a new key (the trainee asks for a new address) ends
the old one. Reading the feed writes nothing.

Each due date is an all-day event on that date (Asia/Ho_Chi_Minh days: the role path's due
date is counted from the local day the person joined), with a stable UID per person and
path or course, so a calendar updates the event when the date moves."""

import re
import secrets
from datetime import timedelta
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import CalendarFeed
from .selectors import AssignedEntry, assigned_for

_SALT = "courses.calendar_feed"
_SEP = "."
_TOKEN = re.compile(r"([0-9]{1,18})\.[A-Za-z0-9_-]{20,100}")
# How often a subscribed calendar should fetch the feed again (RFC 7986 REFRESH-INTERVAL).
REFRESH = timedelta(hours=6)
# The reminder of a pending due date: 09:00 the day before (all-day events start at 00:00).
_ALARM_BEFORE = timedelta(hours=-15)


def _signer(key: str) -> signing.Signer:
    return signing.Signer(salt=f"{_SALT}:{key}", sep=_SEP)


def feed_token(feed: CalendarFeed) -> str:
    return _signer(feed.key).sign(str(feed.user_id))


def feed_path(feed: CalendarFeed) -> str:
    return reverse("courses:calendar_feed", args=[feed_token(feed)])


def feed_user(token: str):
    """The active person whose feed this address is, or None (malformed, tampered, another
    person's signature, an old address after a new one was made, the feed turned off)."""
    match = _TOKEN.fullmatch(token) if isinstance(token, str) else None
    if match is None:
        return None
    feed = (
        CalendarFeed.objects.select_related("user__organisation")
        .filter(user_id=int(match[1]), user__is_active=True)
        .first()
    )
    if feed is None:
        return None
    try:
        _signer(feed.key).unsign(token)
    except signing.BadSignature:
        return None
    return feed.user


def feed_of(user) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=user).first()


def feed_renew(*, user) -> CalendarFeed:
    """Turn the feed on, or give it a new address (the old one stops working)."""
    feed, _created = CalendarFeed.objects.update_or_create(
        user=user, defaults={"key": secrets.token_urlsafe(32)}
    )
    return feed


def feed_stop(*, user) -> None:
    CalendarFeed.objects.filter(user=user).delete()


def _domain() -> str:
    return urlsplit(settings.WAGTAILADMIN_BASE_URL).hostname or "localhost"


def _base() -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def _event(entry: AssignedEntry, *, user, now) -> icalendar.Event:
    done = entry.is_done
    if done:
        summary = _("Completed: %(title)s") % {"title": entry.title}
    else:
        summary = _("Due: %(title)s") % {"title": entry.title}
    lines = []
    if entry.is_path:
        lines.append(
            _("%(done)s of %(total)s courses completed")
            % {"done": entry.completed_count, "total": len(entry.items)}
        )
    for item in entry.items:
        enrolment = item.enrolment
        if enrolment is not None and enrolment.is_completed:
            state = _("Completed")
        elif enrolment is not None:
            state = _("%(p)s%% done") % {"p": enrolment.progress_percent}
        else:
            state = _("Not started")
        lines.append(f"– {item.course.title}: {state}")
    dashboard = _base() + reverse("dashboard")
    lines.append(_("Open My learning: %(url)s") % {"url": dashboard})
    single = None if entry.is_path or not entry.items else entry.items[0].course
    event = icalendar.Event.new(
        uid=f"pcmd-due-{entry.key}-{user.pk}@{_domain()}",
        stamp=now,
        start=entry.due_date,
        end=entry.due_date + timedelta(days=1),
        summary=summary,
        description="\n".join(lines),
        url=_base() + single.url if single is not None and single.url else dashboard,
        transparency="TRANSPARENT",  # a deadline, not a busy day
    )
    if not done and entry.due_date >= timezone.localdate():
        alarm = icalendar.Alarm.new(description=summary)
        alarm.add("action", "DISPLAY")
        alarm.add("trigger", _ALARM_BEFORE)
        event.add_component(alarm)
    return event


def feed_ics(*, user) -> bytes:
    """The person's calendar: one all-day event per assigned path or course with a due date."""
    now = timezone.now()
    with translation.override(settings.LANGUAGE_CODE):
        calendar = icalendar.Calendar.new(
            prodid="-//PCMD e-learning//training due dates//VI",
            method="PUBLISH",
            calscale="GREGORIAN",
            name=_("My training due dates"),
            description=_("Due dates of the courses and learning paths assigned to %(name)s")
            % {"name": user.full_name or user.email},
            refresh_interval=REFRESH,
            language=settings.LANGUAGE_CODE,
            uid=f"pcmd-due-dates-{user.pk}@{_domain()}",
        )
        calendar["refresh-interval"].params["value"] = "DURATION"  # as RFC 7986 has it
        # The zone Google and Apple calendars read (NAME also goes out as X-WR-CALNAME).
        calendar.add("x-wr-timezone", settings.TIME_ZONE)
        calendar.add("x-published-ttl", REFRESH)
        for entry in assigned_for(user=user):
            if entry.due_date is not None:
                calendar.add_component(_event(entry, user=user, now=now))
    return calendar.to_ical()
