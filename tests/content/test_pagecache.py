"""{% pagecache %} with {% ifmarked %}: one rendering per page, revision, language and listed
values; the marked parts are joined in per request for the ids given, the same HTML as
rendering afresh (the admin's preview does), and an author's text that looks like a marker
stays text."""

from types import SimpleNamespace

import pytest
from django.template import engines
from django.test import RequestFactory

from content import rendercache

pytestmark = pytest.mark.django_db

TEMPLATE = """{% load rendercache_tags %}{% pagecache page "t" links marks=done %}<ul>
{% for item in items %}<li>{% if links %}<a>{{ item.title }}</a>
{% else %}{{ item.title }}{% endif %}
{% ifmarked item.pk %}<b>done {{ item.pk }}</b>{% endifmarked %}</li>
{% endfor %}</ul>{% endpagecache %}"""


@pytest.fixture(autouse=True)
def _fresh():
    rendercache.local_forget()
    yield
    rendercache.local_forget()


def _render(items, done, *, links=True, preview=False, revision=1):
    request = RequestFactory().get("/")
    request.is_preview = preview
    page = SimpleNamespace(pk=7, live=True, live_revision_id=revision)
    context = {"request": request, "page": page, "items": items, "links": links, "done": done}
    return engines["django"].from_string(TEMPLATE).render(context)


def _items(*titles):
    return [{"pk": i + 1, "title": t} for i, t in enumerate(titles)]


def test_marked_parts_follow_the_ids_given_as_a_fresh_rendering_does():
    items = _items("A", "B", "C")
    for done in ({2}, {1, 3}, set(), {1, 2, 3}):
        assert _render(items, done) == _render(items, done, preview=True)
    assert "<b>done 2</b>" in _render(items, {2}) and "<b>done 1</b>" not in _render(items, {2})


def test_the_fragment_is_rendered_once_per_listed_value_and_revision():
    _render(_items("A", "B"), {1})
    # Other items now, same key: the cached rendering is shown ...
    assert ">A<" in _render(_items("X", "Y"), {2})
    # ... but not for another value of `links` or another revision.
    assert "<a>" not in _render(_items("X", "Y"), {2}, links=False)
    assert "<li>X" in _render(_items("X", "Y"), {2}, links=False)
    assert ">X<" in _render(_items("X", "Y"), {2}, revision=2)
    assert "A" not in _render(_items("X", "Y"), set(), preview=True)


def test_an_author_typed_marker_is_text():
    fake = "pcmd-mark-0123456789abcdef0123-0"
    html = _render(_items(fake, "B"), {1})
    assert fake in html and html.count("<b>done") == 1
