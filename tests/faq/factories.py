import factory

from faq.actions import article_save
from faq.models import Article, Category, Status
from tests.portal.factories import OrderedSluggedFactory


class CategoryFactory(OrderedSluggedFactory):
    class Meta:
        model = Category

    slug = factory.Sequence(lambda n: f"category-{n}")
    title = factory.Sequence(lambda n: f"Тема {n}")


class ArticleFactory(factory.django.DjangoModelFactory):
    """Saved through the action, so published articles are in the search index."""

    class Meta:
        model = Article

    category = factory.SubFactory(CategoryFactory)
    slug = factory.Sequence(lambda n: f"article-{n}")
    title = factory.Sequence(lambda n: f"Вопрос номер {n}")
    short_answer = "Краткий ответ на вопрос."
    body = ""
    status = Status.PUBLISHED

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        related = kwargs.pop("related", None)
        article = article_save(article=model_class(*args, **kwargs))
        if related:
            article.related.set(related)
        return article
