"""The question chooser filters by category, type, job role and legal provision and shows
those columns; the bank lists the same."""

import pytest
from django.urls import reverse

from accounts.roles import TRAINER
from assessments.models import Question, QuestionCategory
from tests.factories.accounts import UserFactory
from tests.factories.assessments import SINGLE, question_create
from tests.factories.courses import legal_provision_create
from tests.mfa import staff_login

pytestmark = pytest.mark.django_db

TRUE_FALSE = {"correct": True}


@pytest.fixture
def bank():
    law = legal_provision_create(article="Điều 329")
    other_law = legal_provision_create(article="Điều 151")
    legal = QuestionCategory.objects.create(name="Khung pháp lý")
    victims = QuestionCategory.objects.create(name="Bảo vệ nạn nhân")
    questions = {
        "a": question_create("Tuổi chủ thể", "single_choice", SINGLE, category=legal),
        "b": question_create("Không cần thủ đoạn", "true_false", TRUE_FALSE, category=legal),
        "c": question_create("Không gây hại", "single_choice", SINGLE, category=victims),
    }
    Question.objects.filter(pk=questions["a"].pk).update(
        legal_provision=law, job_roles=["investigator", "prosecutor"]
    )
    Question.objects.filter(pk=questions["b"].pk).update(
        legal_provision=other_law, job_roles=["judge"]
    )
    Question.objects.filter(pk=questions["c"].pk).update(job_roles=["social_work"])
    return questions, legal, law


def _titles(client, **params):
    url = reverse("wagtailsnippetchoosers_assessments_question:choose_results")
    response = client.get(url, params)
    assert response.status_code == 200
    html = response.content.decode()
    return {t for t in ("Tuổi chủ thể", "Không cần thủ đoạn", "Không gây hại") if t in html}, html


def test_the_chooser_filters_by_category_type_job_role_and_provision(client, bank):
    _questions, legal, law = bank
    staff_login(client, UserFactory(role=TRAINER))

    assert _titles(client)[0] == {"Tuổi chủ thể", "Không cần thủ đoạn", "Không gây hại"}
    assert _titles(client, category=legal.pk)[0] == {"Tuổi chủ thể", "Không cần thủ đoạn"}
    assert _titles(client, kind="true_false")[0] == {"Không cần thủ đoạn"}
    assert _titles(client, job_role="prosecutor")[0] == {"Tuổi chủ thể"}
    assert _titles(client, job_role="social_work")[0] == {"Không gây hại"}
    assert _titles(client, provision=law.pk)[0] == {"Tuổi chủ thể"}
    assert _titles(client, category=legal.pk, kind="single_choice")[0] == {"Tuổi chủ thể"}


def test_the_chooser_shows_category_type_job_roles_and_provision_columns(client, bank):
    staff_login(client, UserFactory(role=TRAINER))
    _found, html = _titles(client, category=bank[1].pk)
    for text in ("Khung pháp lý", "Một lựa chọn", "Điều tra viên", "Kiểm sát viên", "Điều 329"):
        assert text in html, text


def test_the_chooser_does_not_query_per_row(client, bank, django_assert_max_num_queries):
    staff_login(client, UserFactory(role=TRAINER))
    url = reverse("wagtailsnippetchoosers_assessments_question:choose_results")
    client.get(url)
    law = bank[2]
    for n in range(20):
        question = question_create(f"Thêm {n}", "single_choice", SINGLE, category=bank[1])
        Question.objects.filter(pk=question.pk).update(legal_provision=law)
    with django_assert_max_num_queries(25):
        client.get(url)


def test_a_bad_filter_value_is_ignored_not_an_error(client, bank):
    staff_login(client, UserFactory(role=TRAINER))
    found, _html = _titles(client, category="x' OR 1=1", kind="<script>", job_role="nobody")
    assert found == {"Tuổi chủ thể", "Không cần thủ đoạn", "Không gây hại"}
