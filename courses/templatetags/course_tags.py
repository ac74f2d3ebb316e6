from django import template

from accounts.models import JobRole

register = template.Library()


@register.filter
def job_role_label(value: str) -> str:
    try:
        return JobRole(value).label
    except ValueError:
        return value
