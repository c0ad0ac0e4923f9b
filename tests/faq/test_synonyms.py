"""Editors' synonyms: a change made through the actions reaches the next search at once."""

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError

from faq.actions import synonym_group_save, synonym_groups_delete
from faq.models import SynonymGroup
from faq.selectors import SYNONYMS_CACHE_KEY, faq_search, faq_synonyms
from tests.faq.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def password_article():
    return ArticleFactory(title="Как восстановить пароль", short_answer="Нажмите «Восстановить».")


def found(query: str) -> list[str]:
    return [hit.article.title for hit in faq_search(query=query).hits]


def test_a_group_saved_through_the_action_refreshes_the_cached_synonyms(password_article):
    assert faq_synonyms() == []  # now cached
    assert found("секретное слово") == []
    synonym_group_save(group=SynonymGroup(terms="пароль\nсекретное слово"))
    assert faq_synonyms() == [[("пароль",), ("секретное", "слово")]]
    assert found("секретное слово") == ["Как восстановить пароль"]


def test_editing_and_deleting_a_group_through_the_actions_refresh_the_search(password_article):
    group = synonym_group_save(group=SynonymGroup(terms="пароль\nкод доступа"))
    assert found("код доступа") == ["Как восстановить пароль"]
    group.terms = "пароль\nсекретное слово"
    synonym_group_save(group=group)
    assert found("код доступа") == []
    assert found("секретное слово") == ["Как восстановить пароль"]
    synonym_groups_delete(groups=[group])
    assert faq_synonyms() == []
    assert found("секретное слово") == []


def test_synonyms_are_dropped_again_when_the_change_commits(
    password_article, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        synonym_group_save(group=SynonymGroup(terms="пароль\nсекретное слово"))
        # A search running before the commit still saw no group and cached that.
        cache.set(SYNONYMS_CACHE_KEY, [])
    assert found("секретное слово") == ["Как восстановить пароль"]


def test_an_empty_group_is_refused_and_nothing_is_saved():
    with pytest.raises(ValidationError):
        synonym_group_save(group=SynonymGroup(terms=""))
    assert not SynonymGroup.objects.exists()
