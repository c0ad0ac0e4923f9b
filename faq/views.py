from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from faq import actions, selectors
from faq.forms import SearchForm, VoteForm
from faq.models import Article, ArticleVote
from portal.http import HtmxHttpRequest, found_or_404
from portal.visitors import request_visitor

SEEN_SESSION_KEY = "faq_seen"


@require_GET
def faq_index(request: HtmxHttpRequest) -> HttpResponse:
    """Categories and popular questions, or search results when there is a query."""
    form = SearchForm(request.GET)
    query = form.query()
    context: dict = {"form": form, "query": query}
    if query:
        page = form.page_number()
        # The version first: results ranked after an edit may then be kept under the old
        # version (never asked again), never older results under the new one.
        version = selectors.faq_results_version()
        ranking = selectors.faq_ranking(query=query, page=page)
        if not ranking.good_answer:
            # Nothing found and "only everyday words found" are both gaps for editors.
            actions.zero_result_record(query=query, found_something=ranking.found_something)
        # The results are rendered once per version of the content (the template caches
        # them): the articles are read only when they are rendered.
        context["ranking"] = ranking
        context["results"] = SimpleLazyObject(lambda: selectors.faq_search_page(ranking))
        context["services"] = SimpleLazyObject(
            lambda: selectors.faq_services_for_query(query=query, ranking=ranking)
        )
        context["results_version"] = version
        context["results_cache_seconds"] = None if version else 0  # None: until it changes
        context["page"] = page
        context["page_query"] = urlencode({"q": query})
    else:
        context["categories"] = selectors.faq_categories()
        context["popular"] = selectors.faq_popular()
    template = "faq/index.html"
    if request.htmx and request.htmx.target == "faq-results":
        template += "#results"
    return render(request, template, context)


@require_GET
def faq_suggest(request: HtmxHttpRequest) -> HttpResponse:
    """The search box's list of matching questions; a plain visit gets the full search."""
    query = SearchForm(request.GET).query()
    if not request.htmx:
        return redirect(f"{reverse('faq:index')}?{request.GET.urlencode()}")
    suggestions = selectors.faq_suggest(query=query)
    return render(
        request,
        "faq/index.html#suggestions",
        {"suggestions": suggestions, "query": query, "listbox_id": request.GET.get("for", "")},
    )


@require_GET
def faq_category(request: HtmxHttpRequest, category: str) -> HttpResponse:
    category_obj = found_or_404(selectors.faq_category_get(slug=category))
    articles = selectors.faq_category_articles(category=category_obj)
    return render(request, "faq/category.html", {"category": category_obj, "articles": articles})


def _vote_of(request: HtmxHttpRequest, article: Article) -> ArticleVote | None:
    key = request_visitor(request, start_session=False)
    return ArticleVote.objects.filter(article=article, visitor=key).first() if key else None


@require_GET
def faq_article(request: HtmxHttpRequest, category: str, article: str) -> HttpResponse:
    article_obj = found_or_404(
        selectors.faq_article_get(category_slug=category, article_slug=article)
    )
    # A view counts once per visit, so reloading does not make an article "popular".
    seen = request.session.get(SEEN_SESSION_KEY, [])
    if article_obj.pk not in seen:
        actions.article_view_record(article=article_obj)
        request.session[SEEN_SESSION_KEY] = (seen + [article_obj.pk])[-200:]
    return _render_article(request, article_obj)


@permission_required("faq.view_article", raise_exception=True)
@require_GET
def faq_article_preview(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Editors see a draft exactly as citizens will."""
    article_obj = get_object_or_404(Article.objects.select_related("category"), pk=pk)
    article_obj = found_or_404(
        selectors.faq_article_get(
            category_slug=article_obj.category.slug, article_slug=article_obj.slug, preview=True
        )
    )
    return _render_article(request, article_obj, preview=True)


def _render_article(
    request: HtmxHttpRequest,
    article: Article,
    *,
    preview: bool = False,
    form: VoteForm | None = None,
    status: int = 200,
) -> HttpResponse:
    vote = None if preview else _vote_of(request, article)
    context = {
        "article": article,
        "body_html": selectors.faq_article_body_html(article=article),
        "related": list(article.related.all()),
        "vote": vote,
        "vote_form": form or VoteForm(),
        "preview": preview,
    }
    template = "faq/article.html"
    if request.htmx and request.htmx.target == "faq-vote":
        template += "#vote"
    return render(request, template, context, status=status)


@require_POST
def faq_vote(request: HtmxHttpRequest, category: str, article: str) -> HttpResponse:
    """Yes/no first, then an optional comment; both work without JavaScript."""
    article_obj = found_or_404(
        selectors.faq_article_get(category_slug=category, article_slug=article)
    )
    form = VoteForm(request.POST)
    if not form.is_valid():
        return _render_article(request, article_obj, form=form, status=400)
    key = request_visitor(request)
    existing = ArticleVote.objects.filter(article=article_obj, visitor=key).first()
    try:
        if existing is None:
            if form.cleaned_data["helpful"] is None or "helpful" not in request.POST:
                form.add_error("helpful", _("Выберите «Да» или «Нет»."))
                return _render_article(request, article_obj, form=form, status=400)
            actions.article_vote(
                article=article_obj,
                visitor=key,
                user=request.user,
                helpful=form.cleaned_data["helpful"],
                comment=form.cleaned_data["comment"],
            )
        elif form.cleaned_data["comment"] and not existing.comment:
            actions.vote_comment_add(vote=existing, comment=form.cleaned_data["comment"])
        else:
            raise ValidationError(actions.ALREADY_VOTED)
    except ValidationError as error:
        messages.info(request, " ".join(error.messages))
    if request.htmx:
        return _render_article(request, article_obj)
    return redirect(article_obj.get_absolute_url() + "#faq-vote")


@require_POST
def faq_avoided(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """ "Это решило мой вопрос" next to a suggested article on a contact form."""
    article_obj = get_object_or_404(Article.objects.published(), pk=pk)
    actions.avoided_contact_record(article=article_obj, source=request.POST.get("source", "form"))
    messages.success(request, _("Рады, что ответ нашёлся. Обращение не понадобилось."))
    if request.htmx:
        return HttpResponseClientRedirect(article_obj.get_absolute_url())
    return redirect(article_obj.get_absolute_url())
