"""make bench: the site as in production on loopback, with scaled-up data, measured.

1. A database of its own on the private PostgreSQL (``mindscape_bench``; the development
   data is untouched): migrated, then ``seed_bench`` (1,000 articles, 10,000 consultations),
   then ``render_articles`` as a release runs it (the articles' kept elements).
2. gunicorn with the production settings (the repository's ``gunicorn.conf.py`` when there is
   one, else 2 × cores + 1 sync workers) on 127.0.0.1, with development-safe values for
   the secrets and ``BENCH_BASELINE_VIEW`` on: ``/bench/baseline`` is the yardstick.
3. Throughput with wrk (Debian's package; installed here when possible) for the baseline,
   the home page, a cached article, the article list, a category page, search (the query
   mix below, in turn) and the consultation page, in rounds of every page, each as the
   median of its ratios to the same round's baseline; then latencies at one connection
   (each request after a baseline request, each median as a ratio to the median of those
   baseline requests; articles out of the page cache, as after any content save, and
   others with nothing of them kept, as on their first visit (no target of their own);
   search once with its cache bypassed by a session cookie, beside a baseline request with
   the same cookie, and × the plain baseline too); then an article's first-load weight in
   Chromium.  Once with the default cache (the database table), once with a private Redis.

Targets are reported, never asserted.  Environment: BENCH_SECONDS (each wrk run, default
5), BENCH_RUNS (rounds of wrk runs, median reported, default 5), BENCH_CONNECTIONS (8).
"""

from __future__ import annotations

import os
import platform
import secrets
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.benchkit import (  # noqa: E402
    LATENCY_RATIOS,
    TARGETS,
    THROUGHPUT_RATIOS,
    Server,
    cpu_yardstick,
    ensure_wrk,
    latencies,
    page_weight,
    private_redis,
    wrk,
)

SECONDS = int(os.environ.get("BENCH_SECONDS", "5"))
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
DATABASE = "mindscape_bench"
BASELINE = "/bench/baseline"
SEARCHES = [
    "ketamine",
    "depression",
    "ketamine infusion side effects",
    "ptsd treatment",
    "esketamine nasal spray",
    "ketamin",  # a typo: the correction path
    "anxiety",
    "chronic pain",
]


def bench_env(database: dict) -> dict[str, str]:
    from cryptography.fernet import Fernet

    url = (
        f"postgres://{database['USER']}@/{DATABASE}?host={database['HOST']}&port={database['PORT']}"
    )
    return {
        "DJANGO_SETTINGS_MODULE": "mindscape.settings.prod",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": url,
        "SECURE_SSL_REDIRECT": "false",  # plain HTTP on loopback; TLS is the proxy's job
        "INTAKE_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "INTAKE_LOOKUP_KEY": secrets.token_urlsafe(40),
        "BENCH_BASELINE_VIEW": "true",
        "LOG_LEVEL": "WARNING",
    }


def prepare(env: dict[str, str]) -> dict:
    """Migrate and seed the bench database, collect static files; return what to request."""
    os.environ.update(env)
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db.models import Count

    from blog.models import Article, Category
    from booking.models import ConsultationType, Location

    print("Preparing the bench database (first run: about a minute)...", flush=True)
    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)
    from scripts.seed_bench import seed_bench

    seed_bench()
    call_command("collectstatic", verbosity=0, interactive=False)
    call_command("render_articles", verbosity=0)  # as a release does (docs/operations.md)
    from django.core.cache import cache

    cache.clear()  # "uncached" must mean it: no page left from an earlier run

    user, _ = get_user_model().objects.get_or_create(
        username="bench-admin", defaults={"is_staff": True, "is_superuser": True}
    )
    user.groups.add(Group.objects.get(name="Administrator"))
    location = Location.objects.get(name="Portland clinic")
    phone_call = ConsultationType.objects.get(name="Phone call")
    articles = list(
        Article.objects.published().filter(slug__startswith="bench-").values_list("slug", flat=True)
    )
    category = Category.objects.annotate(article_count=Count("articles")).order_by(
        "-article_count"
    )[0]
    return {
        "article": f"/blog/{articles[0]}/",
        "category": category.get_absolute_url(),
        "uncached": [f"/blog/{slug}/" for slug in articles[1:]],
        "slots": f"/consultation/?type={phone_call.pk}&location={location.pk}",
        "admin": "/admin/booking/consultation/",
        "admin_user": user,
        "consultations": location.consultations.count(),
        "article_count": len(articles) + Article.objects.exclude(slug__startswith="bench-").count(),
    }


def admin_cookie(user) -> str:
    """A session signed in as ``user``, past the second factor, as a Cookie header value.

    Made just before the admin timing, never once for the whole bench: production signs
    staff out after ``STAFF_IDLE_TIMEOUT_SECONDS`` (15 minutes) idle, and the wrk runs before
    the timing take longer than that with a large BENCH_SECONDS."""
    from django.conf import settings

    from staff.sessions import signed_in_session

    return f"{settings.SESSION_COOKIE_NAME}={signed_in_session(user)}"


def search_paths(queries: list[str]) -> list[str]:
    return [f"/search/?q={query.replace(' ', '+')}" for query in queries]


# The baseline asked with the bypassing cookie (see measure()).
SAME_COOKIE = "baseline, same cookie"
FIRST_RENDER = "article, first render"


def bypass_cookie() -> str:
    """A session cookie (no session behind it): the page caches answer no such request."""
    from django.conf import settings

    return f"{settings.SESSION_COOKIE_NAME}=bench-no-page-cache"


# A row with no target of its own, and what it measures.
UNTARGETED = {
    FIRST_RENDER: "no target: its element rendered and kept too (after a release that did not "
    "run render_articles, or an edit of this article)"
}


def forget_kept(paths: list[str]) -> None:
    """Drop the kept ``<article>`` elements (blog/rendered.py) of these articles' pages."""
    from blog.models import RenderedArticle

    slugs = [path.strip("/").rsplit("/", 1)[-1] for path in paths]
    RenderedArticle.objects.filter(article__slug__in=slugs).delete()


def measure(
    label: str, env: dict[str, str], plan: dict, uncached: list[str], first: list[str] = ()
) -> dict:
    """``uncached``: articles out of the page cache, as after any content save; ``first``:
    the same with nothing kept of them at all (``forget_kept``), a row of its own if any."""
    pages = {
        "baseline": BASELINE,
        "home": "/",
        "article (cached)": plan["article"],
        "article list": "/blog/",
        "category": plan["category"],
        "search (query mix)": search_paths(SEARCHES),
        "consultation": plan["slots"],
    }
    with Server(ROOT, env, log=ROOT / ".local" / "bench" / f"gunicorn-{label}.log") as server:
        for path in pages.values():
            for each in [path] if isinstance(path, str) else path:
                server.get(each)  # warm: page cache, clinic facts, connections
        # Rounds, not one page after another: this shared machine's speed drifts within a
        # run, so each round measures every page once and a page's ratio is the median of
        # its ratios to the baseline of the same round.  Each round starts one page later,
        # so that nothing periodic (worker restarts, when they were on: see Server) falls on
        # the same page every time.
        rounds: dict[str, list[dict]] = {name: [] for name in pages}
        names = list(pages)
        for number in range(RUNS):
            for name in names[number % len(names) :] + names[: number % len(names)]:
                path = pages[name]
                if isinstance(path, str):
                    rounds[name].append(wrk(server.url(path), SECONDS, CONNECTIONS))
                else:
                    rounds[name].append(wrk(server.url(path[0]), SECONDS, CONNECTIONS, paths=path))
        throughput = {}
        for name, runs in rounds.items():
            bases = rounds["baseline"]
            ratios = [run["rps"] / base["rps"] for run, base in zip(runs, bases, strict=True)]
            row = sorted(runs, key=lambda r: r["rps"])[len(runs) // 2]
            throughput[name] = {**row, "ratio": statistics.median(ratios)}
        # Each request at one connection follows a baseline request: its median is compared
        # with the median of the baseline requests made among its own.  The search whose
        # cache a session cookie bypasses follows a baseline request with the same cookie:
        # looking up a session costs a query, and that cost is the cookie's, not the search's.
        single, beside, compared = {"baseline": [], SAME_COOKIE: []}, {}, []
        timed = [
            ("article, uncached", uncached, "", False),
            ("search", search_paths(SEARCHES * 8), "", False),
            ("search, cache bypassed", search_paths(SEARCHES * 8), bypass_cookie(), True),
            ("open slots, 60 days", [plan["slots"]] * 40, "", False),
            ("admin consultation list", [plan["admin"]] * 20, None, False),
        ]
        if first:
            forget_kept(first)
            timed.insert(1, (FIRST_RENDER, first, "", False))
        for name, paths, cookie, alike in timed:
            if cookie is None:  # made just before its timing (see admin_cookie)
                cookie = admin_cookie(plan["admin_user"])
            single[name], beside[name] = latencies(
                server, paths, cookie, beside=BASELINE, beside_cookie=cookie if alike else ""
            )
            single[SAME_COOKIE if alike else "baseline"] += beside[name]
            if alike:
                compared.append(name)
        beside[SAME_COOKIE] = single["baseline"]  # what the cookie alone costs
        weight = page_weight(server.url(plan["article"])) if label == "database" else None
        workers = server.workers
    return {
        "throughput": throughput,
        "single": single,
        "beside": beside,
        "alike": compared,  # compared with the baseline asked with their cookie
        "weight": weight,
        "workers": workers,
    }


def report(results: dict, plan: dict) -> None:
    print()
    print(
        f"Machine: {os.cpu_count()} cores, {platform.machine()}, "
        f"Python {platform.python_version()}; "
        f"data: {plan['article_count']} published articles, {plan['consultations']} consultations"
    )
    print(
        f"CPU yardstick: {cpu_yardstick():.1f} ms for a fixed piece of pure Python "
        "(compare it before comparing absolute times of two benches)"
    )
    for label, result in results.items():
        print(
            f"\nCache backend: {label}; gunicorn {result['workers']}; "
            f"wrk -t1 -c{CONNECTIONS} -d{SECONDS}s, {RUNS} rounds of every page: median req/s, "
            "median of the ratios to the same round's baseline"
        )
        print(
            f"  {'page':<22}{'req/s':>9}{'× baseline':>12}{'p50 ms':>9}{'p90 ms':>9}{'p99 ms':>9}"
        )
        for name, row in result["throughput"].items():
            print(
                f"  {name:<22}{row['rps']:>9.0f}{row['ratio']:>12.2f}"
                f"{row['p50']:>9.1f}{row['p90']:>9.1f}{row['p99']:>9.1f}"
                + (f"  ({row['errors']})" if row["errors"] else "")
            )
        for name, least in THROUGHPUT_RATIOS.items():
            ratio = result["throughput"][name]["ratio"]
            verdict = "met" if ratio >= least else "NOT met"
            print(f"  target: {name} ≥ {least:.2f} × baseline: {_beside(ratio, least)}, {verdict}")
        print("  At one connection (each request after a baseline request; × the median of those):")
        print(f"  {'request':<26}{'n':>5}{'median ms':>11}{'× baseline':>12}{'p95 ms':>9}  target")
        for name, times in result["single"].items():
            median = statistics.median(times)
            beside = result["beside"].get(name, times)
            ratio = median / statistics.median(beside)
            targets = []
            if name in TARGETS:
                stat, limit = TARGETS[name]
                value = median if stat == "median" else _p95(times)
                targets.append(f"{stat} < {limit} ms: {'met' if value < limit else 'NOT met'}")
            if name in LATENCY_RATIOS:
                most = LATENCY_RATIOS[name]
                targets.append(
                    f"median ≤ {most:.0f} × baseline: {'met' if ratio <= most else 'NOT met'}"
                    + (f" ({_beside(ratio, most)})" if _rounds_to(ratio, most) else "")
                )
            if name in UNTARGETED:
                targets.append(UNTARGETED[name])
            if name in result["alike"]:
                plain = median / statistics.median(result["single"]["baseline"])
                targets.append(f"{plain:.2f} × the baseline without the cookie")
            print(
                f"  {name:<26}{len(times):>5}{median:>11.1f}{ratio:>12.2f}"
                f"{_p95(times):>9.1f}  {'; '.join(targets)}"
            )
        if result["weight"]:
            total, rows = result["weight"]
            print(
                f"  First load of {plan['article']} (hero image excluded), as Chromium fetched it:"
            )
            for row in rows:
                print(
                    f"    {row['wire']:>8,} B  {row['encoding']:<5} {row['type']:<11}{row['path']}"
                )
            verdict = "met" if total < 100 * 1024 else "NOT met"
            print(f"    {total:>8,} B  total ({total / 1024:.1f} KiB); target < 100 KiB: {verdict}")


def _rounds_to(value: float, limit: float) -> bool:
    """Whether ``value`` to two places reads as ``limit`` itself."""
    return f"{value:.2f}" == f"{limit:.2f}"


def _beside(value: float, limit: float) -> str:
    """``value`` to two places, or three when two would read as the limit itself: a
    verdict of NOT met beside "0.25" for a target of 0.25 would look wrong."""
    return f"{value:.3f}" if _rounds_to(value, limit) else f"{value:.2f}"


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> int:
    if not ensure_wrk():
        print(
            "wrk is not installed and could not be installed (needs root or password-less "
            "sudo for 'apt-get install wrk'). Install it and run make bench again.",
            file=sys.stderr,
        )
        return 1
    from mindscape.ops import devdb

    database = devdb.ensure_server()
    _create_database(database)
    env = bench_env(database)
    plan = prepare(env)
    uncached = plan["uncached"]
    results = {}
    results["database"] = measure("database", env, plan, uncached[:100], uncached[200:300])
    redis = private_redis(ROOT / ".local" / "bench")
    if redis is None:
        print("redis-server is missing (make redis): the Redis run is left out.", file=sys.stderr)
    else:
        with redis as url:
            redis_env = {**env, "REDIS_URL": url}
            first = uncached[300:400]
            results["redis"] = measure("redis", redis_env, plan, uncached[100:200], first)
    report(results, plan)
    return 0


def _create_database(database: dict) -> None:
    import psycopg2

    connection = psycopg2.connect(
        dbname="postgres", user=database["USER"], host=database["HOST"], port=database["PORT"]
    )
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{DATABASE}"')
    connection.close()


if __name__ == "__main__":
    sys.exit(main())
