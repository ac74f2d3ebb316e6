import os

import pytest
from django.core.cache import cache

# Playwright's sync API keeps an event loop in the test thread; Django would otherwise
# refuse ORM calls made by the test body alongside it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

_database = {}


def pytest_collection_modifyitems(config, items):
    config.demo_needed = any({"demo", "demo_snapshot"} & set(item.fixturenames) for item in items)


@pytest.fixture(scope="session")
def demo_snapshot(request, django_db_setup, django_db_blocker, tmp_path_factory):
    """The session's demo (tests/demo.py), for fixtures wider than one test. When a collected
    test needs it, `load_demo` starts at session start (see _record_database) in a copy of the
    freshly migrated database, while the first tests run."""
    if not getattr(request.config, "demo_needed", False):
        yield None
        return
    from tests.demo import DemoSnapshot

    with django_db_blocker.unblock():
        snapshot = DemoSnapshot(tmp_path_factory.mktemp("demo"))
        snapshot.start()
    yield snapshot
    with django_db_blocker.unblock():
        snapshot.drop()


@pytest.fixture(scope="session", autouse=True)
def _record_database(django_db_setup, django_db_blocker, demo_snapshot):
    # Also starts the demo's load early. Modules without a database (tests/assessments/
    # test_grading.py...) shadow this fixture, and so never ask for the demo.
    from django.db import connection

    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        _database["vendor"] = connection.vendor
        _database["version"] = cursor.fetchone()[0]


@pytest.fixture
def demo(demo_snapshot, settings):
    """Call it to fill the test's database (and media and H5P folders) with what `load_demo`
    builds, in about a second instead of 30–45."""
    return demo_snapshot.restore


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
