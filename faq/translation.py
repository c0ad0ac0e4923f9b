"""The knowledge base's texts in each language (django-modeltranslation): Russian is the
original, English beside it; an empty English text is shown in Russian and marked."""

import simple_history
from modeltranslation.translator import TranslationOptions, register

from faq.models import Article, Category


@register(Category)
class CategoryTranslation(TranslationOptions):
    fields = ("title", "description")
    required_languages = ("ru",)


@register(Article)
class ArticleTranslation(TranslationOptions):
    fields = ("title", "short_answer", "body")
    required_languages = {"ru": ("title", "short_answer")}


# After the translated columns: the history keeps every language's text.
simple_history.register(Category)
simple_history.register(Article, excluded_fields=Article.HISTORY_EXCLUDED)
