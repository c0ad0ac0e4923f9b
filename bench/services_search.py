"""Benchmark: the catalogue's filtered search with facet counts on 50,000 services.

    .venv/bin/python bench/services_search.py          # `make bench` runs it too

Seeds a throwaway database (see bench/common.py) with 50,000 published services over
all 89 regions, starts a real daphne on it with production settings, and measures
through HTTP the full /services/ page for words + type + region (with the counts next
to every filter value) and the bare /healthz/ view in the same run. Prints median and
p95 of both and their ratio. The target on a 2-core machine with SQLite: p95 <= 200 ms.

Knobs: BENCH_SERVICES (50000), BENCH_REQUESTS (200 of each).
"""

import os
import random
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import daphne_server, measure, setup_django, summary, table  # noqa: E402

SERVICES = int(os.environ.get("BENCH_SERVICES", "50000"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "200"))
TARGET_P95_MS = 200.0

# What citizens type, with the type and region they then pick.
SEARCHES = [
    ("справка", "certificate"),
    ("справку о доходах", "certificate"),
    ("выписка", "certificate"),
    ("паспорт", "change"),
    ("замена удостоверения", "change"),
    ("пособие", "application"),
    ("заявление на выплату", "application"),
    ("запись к врачу", "appointment"),
    ("приём", "appointment"),
    ("оплата штрафа", "payment"),
    ("налог", "payment"),
    ("регистрация", "application"),
]
REGION_CODES_FOR_QUERIES = ["77", "78", "16", "50", "66", "23", "54", "02", "63", "91"]

ACTIONS = {
    "certificate": ["Справка о", "Выписка о", "Сведения о", "Получение справки о"],
    "application": ["Заявление на", "Назначение", "Оформление", "Регистрация", "Пособие на"],
    "change": ["Замена", "Изменение сведений о", "Переоформление", "Обновление данных о"],
    "appointment": ["Запись на приём по вопросу", "Запись к врачу:", "Запись на консультацию о"],
    "payment": ["Оплата", "Оплата штрафа за", "Оплата налога на", "Оплата пошлины за"],
}
OBJECTS = (
    "доходах несудимости стаже пенсии паспорте удостоверении автомобиле земельном участке "
    "квартире жилом доме ребёнке рождении браке разводе опеке инвалидности безработице "
    "предпринимательстве самозанятости лицензии оружии охоте рыбалке образовании школе "
    "детском саде вузе стипендии субсидии компенсации льготе проезде парковке эвакуации "
    "регистрации прописке выезде визе гражданстве миграции полисе прикреплении вакцинации "
    "диспансеризации лекарствах санатории путёвке ветеранах наградах архиве кадастре "
    "строительстве ремонте газификации водоснабжении отоплении электроэнергии капремонте "
    "налоговом вычете имуществе транспорте наследстве нотариусе доверенности"
).split()
QUALIFIERS = [
    "для граждан",
    "для семей с детьми",
    "для пенсионеров",
    "для предпринимателей",
    "в электронном виде",
    "по месту жительства",
    "по месту пребывания",
    "для иностранцев",
    "для ветеранов",
    "для студентов",
    "в упрощённом порядке",
    "повторно",
]


# --- Seeding --------------------------------------------------------------------------------------


def seed(count: int) -> None:
    from django.db import transaction

    from portal.catalogue.actions import _indexed
    from portal.catalogue.demo import demo_categories
    from portal.catalogue.models import Region, Service, ServiceCategory, ServiceType
    from portal.search.backends import get_backend

    started = time.perf_counter()
    rng = random.Random(20261125)
    regions = list(Region.objects.all())
    categories = [
        ServiceCategory.objects.update_or_create(
            slug=item["slug"],
            defaults={"title": item["title"], "description": item["description"], "order": order},
        )[0]
        for order, item in enumerate(demo_categories())
    ]
    types = list(ServiceType.values)
    with transaction.atomic():
        services = []
        for number in range(count):
            service_type = rng.choice(types)
            title = " ".join(
                [
                    rng.choice(ACTIONS[service_type]),
                    rng.choice(OBJECTS),
                    rng.choice(QUALIFIERS),
                    f"№ {number}",
                ]
            )
            services.append(
                Service(
                    code=str(50_000_000 + number),
                    title=title[:250],
                    summary=(
                        f"{title}. Услуга оказывается {rng.choice(QUALIFIERS)}; "
                        f"срок — {rng.randint(1, 30)} рабочих дней."
                    ),
                    category=rng.choice(categories),
                    service_type=service_type,
                    # A third of the catalogue is regional, spread over every region.
                    all_regions=rng.random() > 0.33,
                    processing_days=rng.randint(1, 30),
                    cost="Бесплатно",
                    available_online=rng.random() > 0.2,
                    available_in_person=True,
                    department="Ведомство",
                    status="published",
                    popularity=rng.randint(0, 10_000),
                )
            )
        Service.objects.bulk_create(services, batch_size=1000)
        Through = Service.regions.through
        links = []
        for service in Service.objects.filter(all_regions=False).only("pk"):
            for region in rng.sample(regions, rng.randint(1, 5)):
                links.append(Through(service_id=service.pk, region_id=region.pk))
        Through.objects.bulk_create(links, batch_size=5000)
    seeded = time.perf_counter()

    backend = get_backend()
    backend.clear(kind="service")
    ids = list(Service.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), 5000):
        chunk = Service.objects.filter(pk__in=ids[start : start + 5000]).select_related("category")
        backend.index(kind="service", documents=[_indexed(service) for service in chunk])
    print(
        f"seeded {count:,} services ({len(links):,} region links) in {seeded - started:.1f} s, "
        f"indexed in {time.perf_counter() - seeded:.1f} s"
    )


def queries_per_search(url_params: dict) -> int:
    """How many SQL queries one filtered search with its counts takes (in-process)."""
    from django.db import connection
    from django.http import QueryDict
    from django.test.utils import CaptureQueriesContext

    from portal.catalogue.forms import CatalogueFilterForm
    from portal.catalogue.selectors import catalogue_search

    with CaptureQueriesContext(connection) as context:
        catalogue_search(query=CatalogueFilterForm(QueryDict(urlencode(url_params))).query())
    return len(context.captured_queries)


# --- Measuring ------------------------------------------------------------------------------------


def main() -> None:
    url = setup_django("services")
    seed(SERVICES)
    rng = random.Random(7)
    searches = [
        {"q": words, "type": service_type, "region": rng.choice(REGION_CODES_FOR_QUERIES)}
        for words, service_type in SEARCHES
    ]
    counts = {queries_per_search(params) for params in searches}
    print(f"SQL queries per filtered search with counts: {sorted(counts)}")

    paths = ["/services/?" + urlencode(params) for params in searches]
    with daphne_server() as (host, port, _pid):
        baseline = summary(measure(host, port, ["/healthz/"], rounds=REQUESTS))
        search = summary(measure(host, port, paths, rounds=REQUESTS))

    print(
        f"\nCatalogue search on {SERVICES:,} services, daphne, {url.split(':')[0]}, "
        f"{REQUESTS} requests each"
    )
    rows = [
        ("bare view (/healthz/)", f"{baseline[0]:.1f}", f"{baseline[1]:.1f}", "1.0×"),
        (
            "words + type + region, with counts",
            f"{search[0]:.1f}",
            f"{search[1]:.1f}",
            f"{search[0] / baseline[0]:.1f}×",
        ),
    ]
    print(table(rows, ("endpoint", "median ms", "p95 ms", "× bare median")))
    verdict = "meets" if search[1] <= TARGET_P95_MS else "MISSES"
    print(f"p95 {search[1]:.1f} ms {verdict} the target of {TARGET_P95_MS:.0f} ms")


if __name__ == "__main__":
    main()
