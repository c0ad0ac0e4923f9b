"""Benchmark: the catalogue's filtered search with facet counts on 50,000 services.

    .venv/bin/python bench/services_search.py          # `make bench` runs it too

Seeds a throwaway SQLite database (BENCH_DATABASE_URL, default
sqlite:////tmp/bench-services.sqlite3) with 50,000 published services over all
89 regions, starts a real daphne on it, and measures through HTTP, in the same
run and interleaved, the full /services/ page for words + type + region (with
the counts next to every filter value) and a bare baseline view that runs the
same middleware but no query and no template. Prints median and p95 of both and
their ratio. The target on a 2-core machine with SQLite: p95 ≤ 200 ms.

Knobs: BENCH_SERVICES (50000), BENCH_REQUESTS (200 of each), BENCH_KEEP=1 keeps
the database for a rerun (then BENCH_REUSE=1 skips seeding).

This file is also the ASGI application daphne serves (`bench.services_search:application`):
the portal's URLs plus the baseline view.
"""

import http.client
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE = "sqlite:////tmp/bench-services.sqlite3"
SERVICES = int(os.environ.get("BENCH_SERVICES", "50000"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "200"))
WARMUP = 20
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


# --- The application daphne serves --------------------------------------------------------------


def _application():
    import django
    from django.conf import settings

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    django.setup()
    # Measured as in production: no query log, no template debug information.
    settings.DEBUG = False
    settings.ROOT_URLCONF = __name__
    for engine in settings.TEMPLATES:
        engine.setdefault("OPTIONS", {})["debug"] = False
    from portal.asgi import application

    return application


def baseline(request):
    """The bare view: the same middleware, no query, no template."""
    from django.http import HttpResponse

    return HttpResponse("ok", content_type="text/plain")


if __name__ != "__main__":
    application = _application()
    from django.urls import include, path

    urlpatterns = [
        path("bench/baseline/", baseline),
        path("", include("portal.urls")),
    ]


# --- Seeding --------------------------------------------------------------------------------------


def _setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def seed(count: int) -> None:
    from django.core.management import call_command
    from django.db import transaction

    from portal.catalogue.actions import _indexed
    from portal.catalogue.demo_content import CATEGORIES
    from portal.catalogue.models import Region, Service, ServiceCategory, ServiceType
    from portal.search.backends import get_backend
    from portal.search.models import SearchDocument, SearchTerm

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    rng = random.Random(20261125)
    regions = list(Region.objects.all())
    categories = [
        ServiceCategory.objects.update_or_create(
            slug=slug, defaults={"title": title, "description": description, "order": order}
        )[0]
        for order, (slug, title, description) in enumerate(CATEGORIES)
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
    SearchDocument.objects.filter(kind="service").delete()
    SearchTerm.objects.filter(kind="service").delete()
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


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(port: int, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("daphne exited before it listened")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("daphne did not start")


def _get(connection: http.client.HTTPConnection, path: str) -> float:
    started = time.perf_counter()
    connection.request("GET", path)
    response = connection.getresponse()
    body = response.read()
    elapsed = (time.perf_counter() - started) * 1000
    if response.status != 200 or not body:
        raise RuntimeError(f"{path}: HTTP {response.status}")
    return elapsed


def _summary(name: str, timings: list[float]) -> tuple[float, float]:
    median = statistics.median(timings)
    p95 = statistics.quantiles(timings, n=100)[94]
    print(f"{name:<44} median {median:7.1f} ms   p95 {p95:7.1f} ms   (n={len(timings)})")
    return median, p95


def main() -> int:
    database_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE)
    database_file = (
        database_url.removeprefix("sqlite:///") if database_url.startswith("sqlite:///") else None
    )
    if database_file and not os.environ.get("BENCH_REUSE"):
        for suffix in ("", "-wal", "-shm"):
            Path(database_file + suffix).unlink(missing_ok=True)
    _setup_django(database_url)
    if not os.environ.get("BENCH_REUSE"):
        seed(SERVICES)

    rng = random.Random(7)
    searches = [
        {"q": words, "type": service_type, "region": rng.choice(REGION_CODES_FOR_QUERIES)}
        for words, service_type in SEARCHES
    ]
    counts = {queries_per_search(params) for params in searches}
    print(f"SQL queries per filtered search with counts: {sorted(counts)}")
    from django.db import connections

    connections.close_all()

    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "portal.settings",
    }
    env.pop("REDIS_URL", None)  # one process: the in-memory layer and cache are enough
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "daphne",
            "-b",
            "127.0.0.1",
            "-p",
            str(port),
            "bench.services_search:application",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        _wait_for(port, server)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        paths = ["/services/?" + urlencode(params) for params in searches]
        for i in range(WARMUP):
            _get(connection, paths[i % len(paths)])
            _get(connection, "/bench/baseline/")
        search_times: list[float] = []
        baseline_times: list[float] = []
        # Interleaved, so both see the same machine load.
        for i in range(REQUESTS):
            search_times.append(_get(connection, paths[i % len(paths)]))
            baseline_times.append(_get(connection, "/bench/baseline/"))
        connection.close()
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        if database_file and not os.environ.get("BENCH_KEEP"):
            for suffix in ("", "-wal", "-shm"):
                Path(database_file + suffix).unlink(missing_ok=True)

    print(
        f"\nCatalogue search on {SERVICES:,} services, daphne, "
        f"{database_url.split(':')[0]}, {REQUESTS} requests each"
    )
    base_median, base_p95 = _summary("baseline: bare view", baseline_times)
    median, p95 = _summary("search: words + type + region, with counts", search_times)
    print(
        f"{'ratio search / baseline':<44} median {median / base_median:7.1f} ×   "
        f"p95 {p95 / base_p95:7.1f} ×"
    )
    verdict = "meets" if p95 <= TARGET_P95_MS else "MISSES"
    print(f"p95 {p95:.1f} ms {verdict} the target of {TARGET_P95_MS:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
