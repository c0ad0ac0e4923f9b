"""How well the search answers real citizens' questions, on the demo content.

Seeds the demo knowledge base and catalogue into a throwaway database, runs every query
of `search_judgments.json` through the FAQ search, the catalogue search and the
suggestions under the search box, and prints Success@1, Success@3 and MRR for each,
how many correctly spelled queries were "corrected", and how many of the queries the
content cannot answer were admitted as such.

    python bench/search_quality.py            # the figures
    python bench/search_quality.py --misses   # and every query that missed, with what came

The judgments were written the way a citizen who never saw the articles would ask
(colloquial, misspelt, whole questions, slang); `typo: true` marks the ones misspelt or
typed in the wrong layout on purpose, where a correction is welcome.
"""

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import setup_django  # noqa: E402

JUDGMENTS = Path(__file__).resolve().parent / "search_judgments.json"


def rank_of(found: list[str], wanted: set[str]) -> int | None:
    """1-based position of the first right answer, or None."""
    for position, key in enumerate(found, start=1):
        if key in wanted:
            return position
    return None


def scores(ranks: list[int | None]) -> tuple[float, float, float]:
    n = len(ranks) or 1
    at1 = sum(1 for r in ranks if r == 1) / n
    at3 = sum(1 for r in ranks if r is not None and r <= 3) / n
    mrr = sum(1 / r for r in ranks if r is not None) / n
    return at1, at3, mrr


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="list the queries that missed")
    args = parser.parse_args()

    setup_django("search-quality")
    from django.utils import translation

    from faq.demo import seed_faq
    from faq.selectors import faq_search, faq_suggest
    from portal.catalogue.demo import seed_catalogue
    from portal.catalogue.selectors import CatalogueQuery, catalogue_search

    translation.activate("ru")
    seed_catalogue()
    seed_faq()
    judgments = json.loads(JUDGMENTS.read_text(encoding="utf-8"))

    def faq_key(article) -> str:
        return f"{article.category.slug}/{article.slug}"

    faq_ranks, catalogue_ranks, suggest_ranks = [], [], []
    false_corrections: list[tuple[str, str]] = []
    no_answer, admitted, answered_but_admitted = 0, 0, 0
    misses: list[str] = []
    for item in judgments:
        query, wanted_faq, wanted_services = item["q"], set(item["faq"]), item["services"]
        wanted_codes = {str(code) for code in wanted_services}
        page = faq_search(query=query)
        found_faq = [faq_key(hit.article) for hit in page.hits]
        catalogue = catalogue_search(query=CatalogueQuery(q=query))
        found_codes = [hit.service.code for hit in catalogue.hits]
        suggestions = [s.url for s in faq_suggest(query=query)]

        if not item.get("typo"):
            for corrected in (page.corrected_query, catalogue.corrected_query):
                if corrected:
                    false_corrections.append((query, corrected))
                    break
        if wanted_faq:
            rank = rank_of(found_faq, wanted_faq)
            faq_ranks.append(rank)
            if rank is None or rank > 3:
                misses.append(f"FAQ     {query!r}: want {sorted(wanted_faq)} got {found_faq[:3]}")
            urls = {url.rstrip("/").split("/help/faq/")[-1] for url in suggestions}
            ordered = [url.rstrip("/").split("/help/faq/")[-1] for url in suggestions]
            srank = rank_of(ordered, wanted_faq) if urls else None
            suggest_ranks.append(srank)
            if srank is None or srank > 3:
                misses.append(f"SUGGEST {query!r}: want {sorted(wanted_faq)} got {ordered[:3]}")
        if wanted_codes:
            rank = rank_of(found_codes, wanted_codes)
            catalogue_ranks.append(rank)
            if rank is None or rank > 3:
                got = [f"{h.service.code} {h.service.title[:40]}" for h in catalogue.hits[:3]]
                misses.append(f"SERVICE {query!r}: want {sorted(wanted_codes)} got {got}")
        if wanted_faq and page.no_good_answer:
            answered_but_admitted += 1
            misses.append(f"ADMITTED {query!r}: the FAQ has an answer but said it had none")
        if not wanted_faq and not wanted_codes:
            no_answer += 1
            if page.no_good_answer:
                admitted += 1
            else:
                misses.append(f"NOANSW  {query!r}: FAQ offered {found_faq[:3]}")

    print(f"{len(judgments)} judged queries ({no_answer} without an answer in the content)\n")
    print("| search | queries | Success@1 | Success@3 | MRR |")
    print("|---|---|---|---|---|")
    for name, ranks in (
        ("FAQ page", faq_ranks),
        ("catalogue", catalogue_ranks),
        ("suggestions", suggest_ranks),
    ):
        at1, at3, mrr = scores(ranks)
        print(f"| {name} | {len(ranks)} | {at1:.2f} | {at3:.2f} | {mrr:.2f} |")
    print(f"\nFalse corrections (a correctly spelled query corrected): {len(false_corrections)}")
    for query, corrected in false_corrections:
        print(f"  {query!r} -> {corrected!r}")
    print(f"No-answer queries admitted as such: {admitted} of {no_answer}")
    print(
        "Queries with an answer in the FAQ where it said it had no good answer: "
        f"{answered_but_admitted} of {len(faq_ranks)}"
    )
    if args.misses:
        print("\nMisses (not in the top 3):")
        for line in misses:
            print("  " + line)


if __name__ == "__main__":
    main()
