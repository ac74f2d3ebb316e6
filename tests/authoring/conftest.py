import pytest


@pytest.fixture
def catalogue(home_page):
    from tests.factories.courses import catalogue_create

    return catalogue_create(home_page)
