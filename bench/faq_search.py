"""FAQ search through a real daphne: 1,000 then 20,000 articles.

Prints the median and p95 of the search page, the suggestions fragment, the help hub
and the FAQ index (popular questions and topics over every article), a bare Django view
(/healthz/, no database, no template) and a plain page of the site (the status page: the
same layout, header and footer, no search) measured in the same run, and the ratios the
issue sets as targets:
  suggestions p95 <= 30 ms, search page p95 <= 150 ms, search page <= 3x the bare view
  at 20,000 articles, 20,000 articles no more than 2x slower than 1,000.
The server remembers what the index answered until it is written again: facts about
words (SEARCH_WORD_MEMO) and the results of whole queries (SEARCH_RESULT_MEMO). The
benchmark asks the same eight queries over and over, so its main rows measure repeated
queries; the rows marked "new queries" come from a second server that remembers words
but no results (every request ranks, as a query asked for the first time since the last
edit does), and "cold" from a third that remembers nothing. The "never asked" rows send
a different text with every request (drawn from the content's words), so that not even the
sentence encoder's memory of texts has seen it: the cost of a question asked for the
first time, at every keystroke for the suggestions.
The machine is often shared: compare the ratio to the bare view of the same run, and repeat.

    python bench/faq_search.py [--rounds 300]
"""

import argparse
import random
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import daphne_server, measure, setup_django, summary, table  # noqa: E402

SEARCH_QUERIES = [
    "заявление",
    "статус заявлений",
    "восстановить пароль",
    "регистрацыя",  # a typo
    "gfhjkm",  # "пароль" in the wrong layout
    "оплата госпошлины",
    "не приходит смс",
    "личный кабинет уведомления",
]
SUGGEST_QUERIES = ["заяв", "паро", "регистр", "как по", "статус з", "опла", "смс", "уведом"]


def build_corpus() -> list[str]:
    """Words of the demo articles, so generated text has a realistic vocabulary."""
    from faq.demo import demo_articles
    from portal.search import analysis

    words = []
    for item in demo_articles():
        text = " ".join([item["title"], item["short"], *item["body"]])
        words += analysis.WORD_RE.findall(text)
    return [w for w in words if len(w) > 2]


def grow_to(count: int, corpus: list[str], rng: random.Random) -> None:
    """Add generated published articles until there are `count`, and index them."""
    from faq.actions import faq_index_rebuild
    from faq.models import Article, Category, Status

    category, _ = Category.objects.get_or_create(slug="bench", defaults={"title": "Bench"})
    existing = Article.objects.count()
    if existing >= count:
        return  # a database kept from an earlier run (BENCH_DATABASE_URL), indexed then
    batch = []
    for n in range(existing, count):
        title = " ".join(rng.choices(corpus, k=rng.randint(4, 8))).capitalize()
        batch.append(
            Article(
                category=category,
                slug=f"a{n}",
                title=title,
                short_answer=" ".join(rng.choices(corpus, k=rng.randint(12, 25))),
                body=" ".join(rng.choices(corpus, k=rng.randint(60, 160))),
                status=Status.PUBLISHED,
                view_count=rng.randint(0, 1000),
            )
        )
    Article.objects.bulk_create(batch, batch_size=1000)
    faq_index_rebuild()


def never_asked(corpus: list[str], count: int, *, typing: bool) -> list[str]:
    """`count` different questions of two to four of the content's words (the last one
    cut to half its letters while `typing`): each asked once, so neither the server's
    memos nor the sentence encoder's per-text memory have seen it."""
    rng = random.Random(count * 2 + typing)
    words = sorted({w.lower() for w in corpus if len(w) > 3})
    texts: list[str] = []
    seen: set[str] = set()
    while len(texts) < count:
        chosen = rng.sample(words, rng.randint(2, 4))
        if typing:
            chosen[-1] = chosen[-1][: max(3, len(chosen[-1]) // 2)]
        text = " ".join(chosen)
        if text not in seen:
            seen.add(text)
            texts.append(text)
    return texts


def run(size: int, rounds: int, corpus: list[str]) -> dict[str, tuple[float, float]]:
    search_paths = ["/help/faq/?" + urlencode({"q": q}) for q in SEARCH_QUERIES]
    suggest_paths = [
        "/help/faq/suggest/?" + urlencode({"q": q, "for": "hub-q"}) for q in SUGGEST_QUERIES
    ]
    htmx = {"HX-Request": "true"}
    with daphne_server() as (host, port, _pid):
        figures = {
            "bare view (/healthz/)": summary(measure(host, port, ["/healthz/"], rounds=rounds)),
            "plain page (/support/status/)": summary(
                measure(host, port, ["/support/status/"], rounds=rounds)
            ),
            "search page": summary(measure(host, port, search_paths, rounds=rounds)),
            "suggestions (htmx)": summary(
                measure(host, port, suggest_paths, rounds=rounds, headers=htmx)
            ),
            # Popular questions and the topics with their counts, over every article.
            "help hub (/)": summary(measure(host, port, ["/"], rounds=rounds)),
            "FAQ index (/help/faq/)": summary(measure(host, port, ["/help/faq/"], rounds=rounds)),
        }
    # Every request ranks: what a query costs the first time it is asked.
    with daphne_server(SEARCH_RESULT_MEMO="0") as (host, port, _pid):
        figures["search page, new queries"] = summary(
            measure(host, port, search_paths, rounds=rounds)
        )
        figures["suggestions, new queries"] = summary(
            measure(host, port, suggest_paths, rounds=rounds, headers=htmx)
        )
        # Each text asked once: what the search page and the suggestions (a question
        # encoded at every keystroke) cost for a question never asked before.
        asked = rounds + 20  # the warm-up too
        figures["search page, never asked"] = summary(
            measure(
                host,
                port,
                [
                    "/help/faq/?" + urlencode({"q": q})
                    for q in never_asked(corpus, asked, typing=False)
                ],
                rounds=rounds,
            )
        )
        figures["suggestions, never asked (last word half typed)"] = summary(
            measure(
                host,
                port,
                [
                    "/help/faq/suggest/?" + urlencode({"q": q, "for": "hub-q"})
                    for q in never_asked(corpus, asked, typing=True)
                ],
                rounds=rounds,
                headers=htmx,
            )
        )
    # Cold: nothing remembered either about words (every known stem, typo neighbour and
    # word count asked of the database each time).
    with daphne_server(SEARCH_RESULT_MEMO="0", SEARCH_WORD_MEMO="0") as (host, port, _pid):
        figures["search page, cold (nothing remembered)"] = summary(
            measure(host, port, search_paths, rounds=rounds)
        )
        figures["suggestions, cold (nothing remembered)"] = summary(
            measure(host, port, suggest_paths, rounds=rounds, headers=htmx)
        )
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=300)
    parser.add_argument("--sizes", default="1000,20000")
    args = parser.parse_args()
    url = setup_django("faq")
    from django.core.management import call_command

    call_command("seed_demo", verbosity=0)
    corpus = build_corpus()
    rng = random.Random(20261125)
    results = {}
    for size in [int(s) for s in args.sizes.split(",")]:
        started = time.perf_counter()
        grow_to(size, corpus, rng)
        print(f"{size} articles ready in {time.perf_counter() - started:.1f} s", flush=True)
        results[size] = run(size, args.rounds, corpus)

    print(f"\nFAQ search, {args.rounds} sequential requests per row, database {url.split(':')[0]}")
    rows = []
    for size, figures in results.items():
        bare = figures["bare view (/healthz/)"][0]
        plain = figures["plain page (/support/status/)"][0]
        for name, (median, p95) in figures.items():
            rows.append(
                (
                    f"{size:,}",
                    name,
                    f"{median:.1f}",
                    f"{p95:.1f}",
                    f"{median / bare:.1f}×",
                    f"{median / plain:.1f}×",
                )
            )
    header = ("articles", "endpoint", "median ms", "p95 ms", "× bare median", "× plain page")
    print(table(rows, header))
    sizes = list(results)
    if len(sizes) == 2:
        small, large = (results[s] for s in sizes)
        for name in ("search page", "suggestions (htmx)"):
            ratio = large[name][0] / small[name][0]
            print(f"{name}: {sizes[1]:,} vs {sizes[0]:,} articles, median ratio {ratio:.2f}×")


if __name__ == "__main__":
    main()
