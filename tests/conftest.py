import os

import pytest
from django.core.cache import cache

# Playwright's sync API keeps an event loop in the test thread; Django would otherwise
# refuse ORM calls made by the test body alongside it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

_database = {}


@pytest.fixture(scope="session", autouse=True)
def _record_database(django_db_setup, django_db_blocker):
    from django.db import connection

    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        _database["vendor"] = connection.vendor
        _database["version"] = cursor.fetchone()[0]


def pytest_terminal_summary(terminalreporter):
    if _database:
        terminalreporter.write_line(
            f"Database vendor: {_database['vendor']} ({_database['version'].split(',')[0]})"
        )


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Rate-limit counters live in the cache; no test may inherit another's failures.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _h5p_root(settings, tmp_path):
    # Each test gets its own H5P store, so no test sees another's libraries or packages.
    settings.H5P_ROOT = tmp_path / "h5p"


@pytest.fixture
def home_page(db):
    from home.services import site_homepage_ensure

    return site_homepage_ensure()


@pytest.fixture
def trainee(db):
    from tests.factories.accounts import UserFactory

    return UserFactory(full_name="Nguyễn Thị Minh Anh", email="minhanh@pcmd.example")


@pytest.fixture
def trainer(db):
    from accounts.roles import TRAINER
    from tests.factories.accounts import UserFactory

    return UserFactory(full_name="Trần Văn Bình", email="binh@pcmd.example", role=TRAINER)


@pytest.fixture
def vietnamese(settings):
    """Render in Vietnamese whatever the test client's headers say."""
    from django.utils import translation

    with translation.override("vi"):
        yield
