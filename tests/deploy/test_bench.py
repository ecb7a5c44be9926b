"""The pieces of make bench: bench data, the baseline view, a staff session without a browser,
and the scripts that install Chromium and redis-server for it (and for make test)."""

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest
import time_machine
from django.db import connection

from blog.models import Article
from booking.models import Consultation
from scripts.seed_bench import NotTheBenchDatabase, seed_bench
from staff.sessions import signed_in_session
from tests.builders.mindscape import run_prod

pytestmark = pytest.mark.django_db


def test_seed_bench_refuses_a_database_that_is_not_the_bench_one():
    with pytest.raises(NotTheBenchDatabase, match="bench"):
        seed_bench(articles=1, consultations=1)


def test_seed_bench_adds_articles_and_consultations_once(client, monkeypatch):
    monkeypatch.setitem(connection.settings_dict, "NAME", "mindscape_bench_test")
    seed_bench(articles=12, consultations=300)
    seed_bench(articles=12, consultations=300)  # idempotent
    bench = Article.objects.published().filter(slug__startswith="bench-")
    assert bench.count() == 12
    assert all(article.categories.exists() for article in bench)
    assert Consultation.objects.filter(email__startswith="bench").count() == 300
    # Upcoming bookings leave the schedule open (one seat of two) and respect capacity.
    upcoming = Consultation.objects.active().filter(status="booked")
    assert upcoming.exists() and set(upcoming.values_list("seat", flat=True)) == {0}
    page = client.get(f"/blog/{bench.first().slug}/")
    assert page.status_code == 200 and bench.first().title in page.content.decode()


def test_the_baseline_view_exists_only_for_the_bench(client):
    assert client.get("/bench/baseline").status_code == 404
    code = (
        "import django; django.setup(); from django.test import Client; "
        "response = Client().get('/bench/baseline', HTTP_HOST='clinic.example', secure=True); "
        "print(response.status_code)"
    )
    result = run_prod(code, BENCH_BASELINE_VIEW="true")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "200"


def test_a_staff_session_made_without_a_browser_opens_the_admin(client, staff_user):
    from django.conf import settings

    client.cookies[settings.SESSION_COOKIE_NAME] = signed_in_session(staff_user("Front desk"))
    assert client.get("/admin/booking/consultation/").status_code == 200


class StandInServer:
    """The bench's gunicorn, for tests of the bench's own logic: answers 200, serves nothing."""

    workers = "none"

    def __init__(self, *args, **kwargs):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        pass

    def get(self, path, cookie=""):
        return 200, b""

    def url(self, path):
        return path


def stand_in_plan(staff_user) -> dict:
    """What ``bench.prepare`` returns, with paths of its own for each page."""
    return {
        "article": "/article",
        "category": "/category",
        "slots": "/slots",
        "admin": "/admin",
        "admin_user": staff_user("Front desk"),
        "article_count": 1,
        "consultations": 1,
    }


def one_quick_round(monkeypatch, latencies) -> None:
    """The bench with a stand-in server, wrk, CPU yardstick and ``latencies``: one round."""
    from scripts import bench

    def wrk(url, seconds, connections, paths=None):
        return {"rps": 1000.0, "p50": 1, "p90": 1, "p99": 1, "errors": ""}

    monkeypatch.setattr(bench, "Server", StandInServer)
    monkeypatch.setattr(bench, "wrk", wrk)
    monkeypatch.setattr(bench, "latencies", latencies)
    monkeypatch.setattr(bench, "RUNS", 1)
    monkeypatch.setattr(bench, "cpu_yardstick", lambda: 1.0)


def test_the_admin_is_timed_with_a_session_younger_than_the_idle_timeout(
    client, staff_user, settings, monkeypatch
):
    """However long the wrk runs before it take, the admin timing is not signed out (and
    its report lost) by production's 15-minute idle timeout."""
    from scripts import bench

    settings.STAFF_IDLE_TIMEOUT_SECONDS = 15 * 60
    admin = "/admin/booking/consultation/"
    answered = []

    def wrk(url, seconds, connections, paths=None):
        clock.shift(dt.timedelta(minutes=5))  # a long BENCH_SECONDS
        return {"rps": 1.0, "p50": 1.0, "p90": 1.0, "p99": 1.0, "errors": ""}

    def latencies(server, paths, cookie="", beside=None, beside_cookie=""):
        if paths[0] == admin:
            name, _, value = cookie.partition("=")
            client.cookies[name] = value
            answered.append(client.get(admin).status_code)
        return [1.0], [1.0]

    monkeypatch.setattr(bench, "Server", StandInServer)
    monkeypatch.setattr(bench, "wrk", wrk)
    monkeypatch.setattr(bench, "latencies", latencies)
    plan = {
        "article": "/",
        "category": "/",
        "slots": "/",
        "admin": admin,
        "admin_user": staff_user("Front desk"),
    }
    with time_machine.travel(dt.datetime.now(dt.UTC), tick=False) as clock:
        bench.measure("redis", {}, plan, uncached=["/"])  # no page weight for "redis"
    assert answered == [200]


def test_throughput_ratios_compare_each_page_with_its_own_rounds_baseline(staff_user, monkeypatch):
    """The machine slows down through the run (here by 3 % with every wrk run): a page as
    cheap as the baseline must still come out at about 1.0, and one five times dearer at
    about 0.2, wherever it stands in the order; and each round starts one page later."""
    from scripts import bench

    cost = {"/bench/baseline": 1.0, "/": 1.0, "/slots": 5.0}
    asked = []

    def wrk(url, seconds, connections, paths=None):
        asked.append(url)
        speed = 0.97 ** len(asked)
        return {
            "rps": 1000 * speed / cost.get(url, 1.0),
            "p50": 1,
            "p90": 1,
            "p99": 1,
            "errors": "",
        }

    def latencies(server, paths, cookie="", beside=None, beside_cookie=""):
        assert beside == bench.BASELINE  # every timed request follows a baseline request
        return [1.0], [1.0]

    monkeypatch.setattr(bench, "Server", StandInServer)
    monkeypatch.setattr(bench, "wrk", wrk)
    monkeypatch.setattr(bench, "latencies", latencies)
    monkeypatch.setattr(bench, "RUNS", 5)
    result = bench.measure("redis", {}, stand_in_plan(staff_user), uncached=["/"])
    assert result["throughput"]["home"]["ratio"] == pytest.approx(1.0, abs=0.2)
    assert result["throughput"]["consultation"]["ratio"] == pytest.approx(0.2, abs=0.04)
    pages = len(result["throughput"])
    firsts = [asked[number * pages] for number in range(5)]
    assert firsts == ["/bench/baseline", "/", "/article", "/blog/", "/category"]


def test_the_search_that_bypasses_the_cache_is_compared_with_a_baseline_with_its_cookie(
    staff_user, monkeypatch, capsys
):
    """The session cookie that keeps search out of the page cache costs a session lookup
    of its own: the bypassed search is timed beside baseline requests that carry the same
    cookie, and the report gives its ratio to those, and to the plain baseline too."""
    from scripts import bench

    asked = []

    def latencies(server, paths, cookie="", beside=None, beside_cookie=""):
        assert beside == bench.BASELINE
        asked.append((paths[0], cookie, beside_cookie))
        if cookie == bench.bypass_cookie():
            return [5.0] * 3, [2.0] * 3  # the baseline with the cookie: 2 ms
        return [1.0] * 3, [1.0] * 3

    one_quick_round(monkeypatch, latencies)
    plan = stand_in_plan(staff_user)
    result = bench.measure("redis", {}, plan, uncached=["/uncached"])
    cookie, searched = bench.bypass_cookie(), bench.search_paths(bench.SEARCHES)[0]
    assert (searched, cookie, cookie) in asked  # the bypassed search, beside the same cookie
    assert [beside for _, sent, beside in asked if sent != cookie] == [""] * 4  # the others
    assert result["single"]["baseline"] == [1.0] * 12  # the plain ones only
    assert result["single"][bench.SAME_COOKIE] == [2.0] * 3

    bench.report({"redis": result}, plan)
    lines = {
        line.split("  ")[1].strip(): line
        for line in capsys.readouterr().out.splitlines()
        if line.startswith("  ") and len(line.split("  ")) > 2
    }
    row = lines["search, cache bypassed"]
    assert "2.50" in row and "median ≤ 3 × baseline: met" in row
    assert "5.00 × the baseline without the cookie" in row
    assert "2.00" in lines[bench.SAME_COOKIE]  # the cookie alone, × the plain baseline


def test_an_articles_first_render_is_timed_with_nothing_of_it_kept(
    client, staff_user, monkeypatch, capsys
):
    """ "article, uncached" is out of the page cache with its element kept (blog/rendered.py),
    as after any content save; "article, first render" has nothing kept at all."""
    from blog import rendered
    from blog.models import RenderedArticle
    from scripts import bench
    from tests.factories import ArticleFactory

    kept, first = ArticleFactory(slug="kept"), ArticleFactory(slug="first")
    assert rendered.render_missing() == 2
    found = {}

    def latencies(server, paths, cookie="", beside=None, beside_cookie=""):
        kept_now = RenderedArticle.objects.filter(article__slug__in=["kept", "first"])
        found[paths[0]] = sorted(kept_now.values_list("article__slug", flat=True))
        return [4.0], [1.0]

    one_quick_round(monkeypatch, latencies)
    plan = stand_in_plan(staff_user)
    result = bench.measure("redis", {}, plan, [kept.get_absolute_url()], [first.get_absolute_url()])
    assert found[kept.get_absolute_url()] == ["kept"]  # timed after: the first is forgotten
    assert found[first.get_absolute_url()] == ["kept"]
    bench.report({"redis": result}, plan)
    rows = [line for line in capsys.readouterr().out.splitlines() if "article, " in line]
    assert "median ≤ 5 × baseline: met" in rows[0]
    assert rows[1].split()[:3] == ["article,", "first", "render"]
    assert "no target" in rows[1] and "×" not in rows[1].split("no target")[1]


@pytest.mark.parametrize(
    ("value", "limit", "shown"),
    [(0.249, 0.25, "0.249"), (0.2504, 0.25, "0.250"), (0.23, 0.25, "0.23"), (5.004, 5, "5.004")],
)
def test_a_ratio_that_rounds_to_its_target_is_shown_to_three_places(value, limit, shown):
    from scripts.bench import _beside

    assert _beside(value, limit) == shown


def test_the_report_shows_a_verdict_beside_a_ratio_that_could_not_read_otherwise(
    monkeypatch, capsys
):
    """0.249 × against a 0.25 × target, and 5.004 × against a 5 × limit: both NOT met,
    neither printed as the limit itself."""
    from scripts import bench

    monkeypatch.setattr(bench, "cpu_yardstick", lambda: 1.0)
    rows = {"rps": 1.0, "p50": 1.0, "p90": 1.0, "p99": 1.0, "errors": ""}
    throughput = {name: {**rows, "ratio": 1.0} for name in bench.THROUGHPUT_RATIOS}
    throughput["consultation"]["ratio"] = 0.249
    result = {
        "throughput": throughput,
        "single": {"baseline": [1.0], "article, uncached": [5.004]},
        "beside": {"article, uncached": [1.0]},
        "alike": [],
        "weight": None,
        "workers": "none",
    }
    bench.report({"database": result}, {"article_count": 1, "consultations": 1})
    out = capsys.readouterr().out
    assert "target: consultation ≥ 0.25 × baseline: 0.249, NOT met" in out
    assert "median ≤ 5 × baseline: NOT met (5.004)" in out


# --- scripts/ensure-redis.sh, scripts/ensure-chromium.sh --------------------------------

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"
BASH = shutil.which("bash")
CHMOD = shutil.which("chmod")
# script → (the binary it provides, the variable that names where the tests look for it)
ENSURED = {
    "ensure-redis.sh": ("redis-server", None),  # on the PATH, as tests/deploy/servers.py
    "ensure-chromium.sh": ("chromium", "CHROMIUM_PATH"),  # as tests/conftest.py
}
APT_LOCKED = "E: Could not get lock /var/lib/dpkg/lock-frontend"


def executable(path: Path, body: str) -> None:
    path.write_text(f"#!{BASH}\n{body}\n")
    path.chmod(0o755)


def run_script(script, tmp_path, *, apt_get=None, ci=None, installed=False):
    """Run ``script`` with only a private folder on the PATH: no apt-get unless one is
    given (``"fails"``, or ``"installs"`` the binary), ``id -u`` saying root."""
    binary, variable = ENSURED[script]
    folder = tmp_path / "bin"
    folder.mkdir()
    executable(folder / "id", "echo 0")
    calls = tmp_path / "apt-get.calls"
    if apt_get == "fails":
        executable(folder / "apt-get", f'echo "$*" >> {calls}\necho "{APT_LOCKED}" >&2\nexit 100')
    elif apt_get == "installs":
        install = f'if [ "$1" = install ]; then echo "#!{BASH}" > {folder / binary}; '
        install += f"{CHMOD} +x {folder / binary}; fi"
        executable(folder / "apt-get", f'echo "$*" >> {calls}\n{install}')
    if installed:
        executable(folder / binary, "exit 0")
    env = {"PATH": str(folder)}
    if variable:
        env[variable] = str(folder / binary)
    if ci:
        env["CI"] = ci
    result = subprocess.run(
        [BASH, str(SCRIPTS / script)], env=env, capture_output=True, text=True, timeout=30
    )
    result.apt_calls = calls.read_text().splitlines() if calls.exists() else []
    return result


@pytest.mark.parametrize("script", ENSURED)
@pytest.mark.parametrize("apt_get", [None, "fails"])
def test_outside_ci_a_missing_binary_only_warns(script, apt_get, tmp_path):
    result = run_script(script, tmp_path, apt_get=apt_get)
    assert result.returncode == 0, result.stderr
    assert "WARNING:" in result.stderr and "could not be installed" in result.stderr
    assert "will be skipped" in result.stderr
    if apt_get:  # it tried, and says why it could not
        assert result.apt_calls[-1].startswith("install")
        assert APT_LOCKED in result.stderr


@pytest.mark.parametrize("script", ENSURED)
@pytest.mark.parametrize("apt_get", [None, "fails"])
def test_under_ci_a_missing_binary_is_a_failure(script, apt_get, tmp_path):
    result = run_script(script, tmp_path, apt_get=apt_get, ci="true")
    assert result.returncode == 1
    assert "ERROR:" in result.stderr and "could not be installed" in result.stderr


@pytest.mark.parametrize("script", ENSURED)
def test_a_missing_binary_is_installed_with_apt_get(script, tmp_path):
    result = run_script(script, tmp_path, apt_get="installs", ci="true")
    assert result.returncode == 0, result.stderr
    assert [call.split()[0] for call in result.apt_calls] == ["update", "install"]
    assert not result.stderr


@pytest.mark.parametrize("script", ENSURED)
def test_a_binary_where_the_tests_look_is_used_as_it_is(script, tmp_path):
    result = run_script(script, tmp_path, apt_get="fails", installed=True, ci="true")
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    assert result.apt_calls == []


@pytest.mark.parametrize(
    ("output", "said"),
    [
        ("Requests/sec:   812.40\n", ""),
        ("  Socket errors: connect 0, read 3, write 0, timeout 0\n", "3 socket read"),
        ("  Non-2xx or 3xx responses: 12\n", "12 non-2xx"),
    ],
)
def test_the_bench_tells_refused_answers_from_dropped_connections(output, said):
    from scripts.benchkit import _problems

    assert _problems(output) == said


def test_the_bench_runs_the_production_configuration_without_worker_restarts(tmp_path):
    """gunicorn.conf.py restarts each worker after some 10,000 requests: every few seconds
    at the bench's load, a dip in whichever page was measured then."""
    from gunicorn.config import Config

    from scripts.benchkit import Server

    root = Path(__file__).resolve().parents[2]
    server = Server(root, {}, log=tmp_path / "gunicorn.log")
    assert server.args[:2] == ["-c", str(root / "gunicorn.conf.py")]
    parsed = Config().parser().parse_args([*server.args, "mindscape.wsgi:application"])
    assert parsed.max_requests == 0  # the command line wins over the file's value
