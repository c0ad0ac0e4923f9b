"""Writing to the knowledge base: publishing, indexing, votes, content gaps."""

from collections.abc import Iterable

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from faq.models import (
    Article,
    ArticleVote,
    AvoidedContact,
    Category,
    Status,
    SynonymGroup,
    ZeroResultQuery,
)
from faq.selectors import SEARCH_KIND, SERVICE_SEARCH_KIND, SYNONYMS_CACHE_KEY
from portal.actions import Publishing, edited_save, search_follow
from portal.markup import markdown_to_text
from portal.models import User
from portal.search import analysis
from portal.search.actions import (
    search_documents_remove,
    search_index_rebuild_translated,
    search_results_forget,
)
from portal.search.backends import IndexedText

ALREADY_VOTED = _("Вы уже оценили эту статью. Спасибо!")
MAX_COMMENT = 1000
COMMENT_TOO_LONG = format_lazy(_("Комментарий не длиннее {max} символов."), max=MAX_COMMENT)


def _indexed(article: Article) -> IndexedText:
    return IndexedText(
        object_id=article.pk,
        title=article.title,
        summary=article.short_answer,
        body=markdown_to_text(article.body),
    )


def articles_reindex(*, articles: Iterable[Article]) -> None:
    """Put published articles in the index and take the others out."""
    search_follow(
        kind=SEARCH_KIND, items=articles, published_status=Status.PUBLISHED, indexed=_indexed
    )


def faq_index_rebuild() -> int:
    articles = list(Article.objects.published())
    search_index_rebuild_translated(
        kind=SEARCH_KIND, documents=lambda: [_indexed(a) for a in articles]
    )
    return len(articles)


def article_save(*, article: Article) -> Article:
    """Save an editor's change and keep the index in step, in one transaction."""
    return ARTICLES.save(article)


ARTICLES = Publishing(
    published_status=Status.PUBLISHED,
    draft_status=Status.DRAFT,
    reindex=lambda changed: articles_reindex(articles=changed),
    first_published_field="published_at",
)


def articles_publish(*, articles: Iterable[Article]) -> int:
    return ARTICLES.set(articles, publish=True)


def articles_unpublish(*, articles: Iterable[Article]) -> int:
    return ARTICLES.set(articles, publish=False)


def article_view_record(*, article: Article) -> None:
    # One UPDATE without reading: concurrent readers never lose a count.
    Article.objects.filter(pk=article.pk).update(view_count=F("view_count") + 1)


def article_vote(
    *, article: Article, visitor: str, user: User | None, helpful: bool, comment: str = ""
) -> ArticleVote:
    """Record one visitor's answer to "Был ли ответ полезен?" and update the counters.

    Callers fetch the article through the published-only selector (a 404 otherwise).
    """
    comment = comment.strip()
    if len(comment) > MAX_COMMENT:
        raise ValidationError({"comment": COMMENT_TOO_LONG})
    try:
        with transaction.atomic():
            vote = ArticleVote.objects.create(
                article=article,
                visitor=visitor,
                user=user if user is not None and user.is_authenticated else None,
                helpful=helpful,
                comment=comment,
            )
            counter = "helpful_yes" if helpful else "helpful_no"
            Article.objects.filter(pk=article.pk).update(**{counter: F(counter) + 1})
    except IntegrityError:
        raise ValidationError(ALREADY_VOTED) from None
    return vote


def vote_comment_add(*, vote: ArticleVote, comment: str) -> ArticleVote:
    """The comment may come after the yes/no (the form asks for it second)."""
    comment = comment.strip()
    if len(comment) > MAX_COMMENT:
        raise ValidationError({"comment": COMMENT_TOO_LONG})
    vote.comment = comment
    vote.save(update_fields=["comment"])
    return vote


def zero_result_record(*, query: str, found_something: bool = False) -> None:
    """Count a search that found nothing (or nothing to the point): a content gap."""
    normalized = " ".join(analysis.words(query))[:200]
    if not normalized:
        return
    updated = ZeroResultQuery.objects.filter(normalized=normalized).update(
        count=F("count") + 1,
        last_seen=timezone.now(),
        resolved=False,
        found_something=found_something,
    )
    if not updated:
        try:
            with transaction.atomic():
                ZeroResultQuery.objects.create(
                    normalized=normalized,
                    example=analysis.printable(query).strip()[:200],
                    found_something=found_something,
                )
        except IntegrityError:  # someone else recorded it in between
            ZeroResultQuery.objects.filter(normalized=normalized).update(count=F("count") + 1)


def synonyms_changed() -> None:
    """Drop the cached synonyms now and again once the change is committed.

    Now, so that this transaction reads its own change; after the commit, because a
    search running meanwhile may have cached the groups as they were before it.
    """
    cache.delete(SYNONYMS_CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(SYNONYMS_CACHE_KEY))
    # Both the articles and the catalogue are searched with them.
    search_results_forget(kind=SEARCH_KIND)
    search_results_forget(kind=SERVICE_SEARCH_KIND)


def synonym_group_save(*, group: SynonymGroup) -> SynonymGroup:
    """Save an editor's synonym group; searches use it at once."""
    return edited_save(group, changed=synonyms_changed)


def synonym_groups_delete(*, groups: Iterable[SynonymGroup]) -> None:
    with transaction.atomic():
        for group in groups:
            group.delete()  # one by one, so that the history records each
        synonyms_changed()


def avoided_contact_record(*, article: Article, source: str) -> AvoidedContact:
    """ "Это решило мой вопрос": an appeal or a call that did not have to happen."""
    return AvoidedContact.objects.create(article=article, source=source[:30])


def category_save(*, category: Category) -> Category:
    """Save an editor's change to a category. Search results show its title and only the
    articles of visible categories: what was remembered of them is forgotten."""
    return edited_save(category, changed=lambda: search_results_forget(kind=SEARCH_KIND))


def articles_delete(*, articles: Iterable[Article]) -> None:
    articles = list(articles)
    with transaction.atomic():
        search_documents_remove(kind=SEARCH_KIND, object_ids=[a.pk for a in articles])
        Article.objects.filter(pk__in=[a.pk for a in articles]).delete()
