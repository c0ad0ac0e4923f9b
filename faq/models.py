from django.db import models
from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.models import account_link, part_of


class Status(models.TextChoices):
    DRAFT = "draft", _("Черновик")
    PUBLISHED = "published", _("Опубликовано")


class Category(models.Model):
    """A topic of the knowledge base (registration, applications, the cabinet …)."""

    slug = models.SlugField(_("адрес"), max_length=80, unique=True)
    title = models.CharField(_("название"), max_length=150)
    description = models.CharField(_("описание"), max_length=300, blank=True)
    order = models.PositiveIntegerField(_("порядок"), default=0)
    is_visible = models.BooleanField(_("показывать"), default=True)

    # `history` (simple_history) is registered in translation.py, after the translated
    # columns exist, so that the history keeps every language.

    class Meta:
        ordering = ["order", "title"]
        verbose_name = _("категория")
        verbose_name_plural = _("категории")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("faq:category", kwargs={"category": self.slug})


class ArticleQuerySet(models.QuerySet["Article"]):
    def published(self) -> "ArticleQuerySet":
        """What citizens see; `Article.is_public` is the same rule for a fetched row."""
        return self.filter(status=Status.PUBLISHED, category__is_visible=True)


class Article(models.Model):
    """A question and its answer: a short answer first, the full instruction below."""

    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="articles", verbose_name=_("категория")
    )
    slug = models.SlugField(_("адрес"), max_length=120)
    title = models.CharField(_("вопрос"), max_length=200)
    short_answer = models.TextField(
        _("краткий ответ"), max_length=600, help_text=_("Одно-два предложения: суть ответа.")
    )
    body = models.TextField(
        _("подробный ответ"),
        blank=True,
        help_text=_("Markdown: заголовки ##, списки, ссылки. HTML-теги будут удалены."),
    )
    status = models.CharField(
        _("статус"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    order = models.PositiveIntegerField(_("порядок"), default=0)
    related = models.ManyToManyField(
        "self", blank=True, symmetrical=False, verbose_name=_("связанные статьи")
    )
    services = models.ManyToManyField(
        "catalogue.Service",
        blank=True,
        related_name="faq_articles",
        verbose_name=_("услуги"),
        help_text=_("Статья будет показана на страницах этих услуг."),
    )
    channels = models.JSONField(
        _("куда обратиться, если не помогло"),
        default=list,
        blank=True,
        help_text=_("Каналы связи, которые предложить под статьёй."),
    )
    published_at = models.DateTimeField(_("опубликовано"), null=True, blank=True)
    updated_at = models.DateTimeField(_("обновлено"), auto_now=True)
    created_at = models.DateTimeField(_("создано"), auto_now_add=True)

    # Counters kept on the row so that "popular" needs no aggregate per page.
    view_count = models.PositiveIntegerField(_("просмотры"), default=0, editable=False)
    helpful_yes = models.PositiveIntegerField(_("полезно"), default=0, editable=False)
    helpful_no = models.PositiveIntegerField(_("не полезно"), default=0, editable=False)
    # What "Популярные вопросы" orders by, kept by the database beside the counters so
    # that an index serves the order: a "yes" weighs ten views, a "no" takes five off.
    popularity = models.GeneratedField(
        expression=F("view_count") + F("helpful_yes") * 10 - F("helpful_no") * 5,
        output_field=models.IntegerField(),
        db_persist=True,
        verbose_name=_("популярность"),
        help_text=_("Просмотры + 10 × «полезно» − 5 × «не полезно»: порядок популярных вопросов."),
    )

    objects = ArticleQuerySet.as_manager()
    # `history` (simple_history): registered in translation.py, see Category.
    HISTORY_EXCLUDED = ["view_count", "helpful_yes", "helpful_no", "popularity"]

    class Meta:
        ordering = ["category__order", "order", "title"]
        verbose_name = _("статья")
        verbose_name_plural = _("статьи")
        constraints = [
            models.UniqueConstraint(fields=["category", "slug"], name="faq_article_slug_unique")
        ]
        indexes = [
            models.Index(fields=["status", "-popularity", "order"], name="faq_article_popular"),
            # Each category's count of published articles, read from the index alone.
            models.Index(fields=["category", "status"], name="faq_article_category_status"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("faq:article", kwargs={"category": self.category.slug, "article": self.slug})

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED

    @property
    def is_public(self) -> bool:
        """`ArticleQuerySet.published` for a row already fetched (with its category)."""
        return self.is_published and self.category.is_visible


class ArticleVote(models.Model):
    """One answer to "Был ли ответ полезен?" from one visitor."""

    article = part_of(Article, _("статья"), related_name="votes")
    # A hash of the session (visitors) or "u<id>" (signed in): one vote per visitor.
    visitor = models.CharField(_("посетитель"), max_length=64)
    user = account_link(_("пользователь"))
    helpful = models.BooleanField(_("ответ помог"))
    comment = models.TextField(_("комментарий"), max_length=1000, blank=True)
    created_at = models.DateTimeField(_("дата"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("оценка статьи")
        verbose_name_plural = _("оценки статей")
        constraints = [models.UniqueConstraint(fields=["article", "visitor"], name="faq_vote_once")]

    def __str__(self) -> str:
        return f"{self.article}: {'+' if self.helpful else '−'}"


class SynonymGroup(models.Model):
    """Words and phrases that mean the same to citizens (ЕСИА = учётная запись Госуслуг)."""

    terms = models.TextField(
        _("синонимы"),
        help_text=_("По одному слову или фразе в строке. Поиск по любому найдёт все."),
    )
    note = models.CharField(_("пояснение"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("обновлено"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["terms"]
        verbose_name = _("группа синонимов")
        verbose_name_plural = _("синонимы")

    def __str__(self) -> str:
        return " = ".join(self.term_list())

    def term_list(self) -> list[str]:
        return [line.strip() for line in self.terms.splitlines() if line.strip()]


class ZeroResultQuery(models.Model):
    """A search that found nothing, or nothing to the point: a gap for editors to fill."""

    normalized = models.CharField(_("запрос (нормализованный)"), max_length=200, unique=True)
    example = models.CharField(_("как ввели"), max_length=200)
    count = models.PositiveIntegerField(_("сколько раз"), default=1)
    first_seen = models.DateTimeField(_("впервые"), auto_now_add=True)
    last_seen = models.DateTimeField(_("последний раз"), auto_now=True)
    resolved = models.BooleanField(
        _("закрыт"), default=False, help_text=_("Статья написана или синоним добавлен.")
    )
    found_something = models.BooleanField(
        _("нашлось не по существу"),
        default=False,
        help_text=_("Поиск нашёл статьи только по общим словам запроса, не по его сути."),
    )

    class Meta:
        ordering = ["resolved", "-count", "-last_seen"]
        verbose_name = _("запрос без результатов")
        verbose_name_plural = _("запросы без результатов")

    def __str__(self) -> str:
        return self.example


class AvoidedContact(models.Model):
    """A citizen said an article solved their problem before writing to support."""

    article = part_of(Article, _("статья"), related_name="avoided_contacts")
    source = models.CharField(_("откуда"), max_length=30)
    created_at = models.DateTimeField(_("дата"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("решено без обращения")
        verbose_name_plural = _("решено без обращения")

    def __str__(self) -> str:
        return f"{self.article} ({self.source})"
