from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from faq import actions
from faq import models as faq
from faq.models import Status
from portal.admin import WritesThroughActions, publication_admin_actions, side_by_side
from portal.channels import ChannelKind


class ArticleAdminForm(forms.ModelForm):
    channels = forms.MultipleChoiceField(
        label=_("Куда обратиться, если не помогло"),
        choices=ChannelKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = faq.Article
        fields = [
            "category",
            "title",
            "slug",
            "short_answer",
            "body",
            "status",
            "order",
            "related",
            "services",
            "channels",
        ]


_ARTICLE_PUBLICATION = publication_admin_actions(
    publish=lambda articles: actions.articles_publish(articles=articles),
    unpublish=lambda articles: actions.articles_unpublish(articles=articles),
    publish_description=_("Опубликовать выбранные статьи"),
    published_message=ngettext_lazy(
        "Опубликована %(count)d статья.", "Опубликовано статей: %(count)d.", "count"
    ),
    unpublished_message=ngettext_lazy(
        "Снята с публикации %(count)d статья.", "Снято с публикации: %(count)d.", "count"
    ),
)


@admin.register(faq.Category)
class CategoryAdmin(TranslationAdmin, SimpleHistoryAdmin):
    list_display = ["title", "slug", "order", "is_visible"]
    list_editable = ["order", "is_visible"]
    search_fields = ["title", "description"]
    prepopulated_fields = {"slug": ["title"]}

    # Search results show the category: remembered ones must be forgotten.
    def save_model(self, request: HttpRequest, obj: faq.Category, form, change: bool) -> None:
        actions.category_save(category=obj)


@admin.register(faq.Article)
class ArticleAdmin(WritesThroughActions, TranslationAdmin, SimpleHistoryAdmin):
    form = ArticleAdminForm
    list_display = [
        "title",
        "category",
        "status",
        "order",
        "updated_at",
        "view_count",
        "helpful_yes",
        "helpful_no",
        "popularity",
    ]
    list_filter = ["status", "category", "updated_at"]
    list_select_related = ["category"]
    search_fields = ["title", "short_answer", "body"]
    ordering = ["category__order", "order", "title"]
    date_hierarchy = "updated_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["related", "services"]
    readonly_fields = [
        "preview_link",
        "published_at",
        "updated_at",
        "view_count",
        "helpful_yes",
        "helpful_no",
        "popularity",
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "category",
                    *side_by_side("title"),
                    "slug",
                    *side_by_side("short_answer", "body"),
                ]
            },
        ),
        (
            _("Публикация"),
            {"fields": ["status", "order", "preview_link", "published_at", "updated_at"]},
        ),
        (_("Связи"), {"fields": ["related", "services", "channels"]}),
        (
            _("Статистика"),
            {"fields": ["view_count", "helpful_yes", "helpful_no", "popularity"]},
        ),
    ]
    actions = _ARTICLE_PUBLICATION

    @admin.display(description=_("Предпросмотр"))
    def preview_link(self, obj: faq.Article) -> str:
        if not obj.pk:
            return _("Сохраните статью, чтобы посмотреть её глазами гражданина.")
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>',
            reverse("faq:preview", kwargs={"pk": obj.pk}),
            _("Открыть предпросмотр"),
        )

    def view_on_site(self, obj: faq.Article) -> str:
        if obj.status == Status.PUBLISHED:
            return obj.get_absolute_url()
        return reverse("faq:preview", kwargs={"pk": obj.pk})

    def save_action(self, obj: faq.Article) -> None:
        actions.article_save(article=obj)

    def delete_action(self, objects: list[faq.Article]) -> None:
        actions.articles_delete(articles=objects)


@admin.register(faq.SynonymGroup)
class SynonymGroupAdmin(WritesThroughActions, SimpleHistoryAdmin):
    list_display = ["__str__", "note", "updated_at"]
    search_fields = ["terms", "note"]

    def save_action(self, obj: faq.SynonymGroup) -> None:
        actions.synonym_group_save(group=obj)

    def delete_action(self, objects: list[faq.SynonymGroup]) -> None:
        actions.synonym_groups_delete(groups=objects)


@admin.register(faq.ZeroResultQuery)
class ZeroResultQueryAdmin(admin.ModelAdmin):
    list_display = ["example", "count", "first_seen", "last_seen", "found_something", "resolved"]
    list_filter = ["resolved", "found_something", "last_seen"]
    search_fields = ["normalized", "example"]
    readonly_fields = ["normalized", "example", "count", "first_seen", "last_seen"]
    actions = ["mark_resolved"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=_("Отметить как закрытые"), permissions=["change"])
    def mark_resolved(self, request: HttpRequest, queryset: QuerySet[faq.ZeroResultQuery]) -> None:
        queryset.update(resolved=True)


@admin.register(faq.ArticleVote)
class ArticleVoteAdmin(admin.ModelAdmin):
    list_display = ["article", "helpful", "comment", "created_at"]
    list_filter = ["helpful", "created_at"]
    list_select_related = ["article"]
    search_fields = ["article__title", "comment"]
    readonly_fields = ["article", "visitor", "user", "helpful", "comment", "created_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(faq.AvoidedContact)
class AvoidedContactAdmin(admin.ModelAdmin):
    list_display = ["article", "source", "created_at"]
    list_filter = ["source", "created_at"]
    list_select_related = ["article"]
    readonly_fields = ["article", "source", "created_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
