import pytest
from django.urls import reverse

from faq.models import ArticleVote, Status
from tests.faq.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    return ArticleFactory(slug="password", title="Как восстановить пароль")


def vote_url(article):
    return reverse("faq:vote", args=[article.category.slug, article.slug])


def test_a_visitor_votes_once_without_javascript(client, article):
    response = client.post(vote_url(article), {"helpful": "yes"})
    assert response.status_code == 302
    assert response.url.endswith("#faq-vote")
    client.post(vote_url(article), {"helpful": "no"})
    article.refresh_from_db()
    assert (article.helpful_yes, article.helpful_no) == (1, 0)
    assert ArticleVote.objects.count() == 1
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Спасибо! Рады, что ответ помог." in page
    assert 'value="yes"' not in page


def test_comment_can_follow_the_vote(client, article):
    client.post(vote_url(article), {"helpful": "no"})
    client.post(vote_url(article), {"comment": "Нет шага про СМС"})
    assert ArticleVote.objects.get().comment == "Нет шага про СМС"


def test_vote_with_comment_in_one_go_over_htmx(client, article):
    response = client.post(
        vote_url(article),
        {"helpful": "no", "comment": "Не понял"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="faq-vote",
    )
    content = response.content.decode()
    assert content.lstrip().startswith('<section id="faq-vote"')
    assert "Спасибо за оценку" in content
    assert ArticleVote.objects.get().comment == "Не понял"


def test_too_long_comment_is_refused_with_a_message_and_kept(client, article):
    response = client.post(vote_url(article), {"helpful": "yes", "comment": "я" * 1001})
    assert response.status_code == 400
    content = response.content.decode()
    assert "Комментарий не длиннее 1000 символов." in content
    assert "я" * 1001 in content
    assert ArticleVote.objects.count() == 0


def test_vote_without_a_choice_asks_for_one(client, article):
    response = client.post(vote_url(article), {})
    assert response.status_code == 400
    assert "Выберите «Да» или «Нет»." in response.content.decode()


def test_signed_in_citizen_votes_once_across_sessions(client, article, citizen):
    client.force_login(citizen)
    client.post(vote_url(article), {"helpful": "yes"})
    client.logout()
    client.force_login(citizen)
    client.post(vote_url(article), {"helpful": "yes"})
    article.refresh_from_db()
    assert article.helpful_yes == 1


def test_vote_for_unknown_or_unpublished_article_is_404(client, article):
    assert client.post("/help/faq/nope/nope/vote/", {"helpful": "yes"}).status_code == 404
    article.status = Status.DRAFT
    article.save()
    assert client.post(vote_url(article), {"helpful": "yes"}).status_code == 404
    assert ArticleVote.objects.count() == 0


def test_vote_needs_post(client, article):
    assert client.get(vote_url(article)).status_code == 405
