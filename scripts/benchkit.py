"""The moving parts of ``scripts/bench.py``: gunicorn, a private Redis, wrk, a one-connection
timer and the page-weight probe."""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# name → (statistic, limit in ms) for the one-connection measurements.
TARGETS = {
    "article, uncached": ("median", 15),
    "search": ("p95", 50),
    "open slots, 60 days": ("median", 50),
    "admin consultation list": ("median", 200),
}
# name → the most its median may be, as a multiple of the baseline's median at one connection.
LATENCY_RATIOS = {"article, uncached": 5.0, "search, cache bypassed": 3.0}
# page → the least its req/s may be, as a multiple of the baseline's, under wrk.
THROUGHPUT_RATIOS = {
    "article (cached)": 0.8,
    "article list": 0.8,
    "category": 0.8,
    "search (query mix)": 0.5,
    "consultation": 0.25,  # rendered for each visitor: it carries a CSRF token
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _install(package: str) -> None:
    """apt-get install, as root or with password-less sudo; silently nothing otherwise."""
    if not shutil.which("apt-get"):
        return
    prefix = [] if os.geteuid() == 0 else ["sudo", "-n"]
    if prefix and subprocess.run(["sudo", "-n", "true"], capture_output=True).returncode:
        return
    print(f"Installing Debian's {package}...", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run([*prefix, "apt-get", "update", "-qq"], capture_output=True, env=env)
    subprocess.run(
        [*prefix, "apt-get", "install", "-y", "-qq", package], capture_output=True, env=env
    )


def ensure_wrk() -> bool:
    if not shutil.which("wrk"):
        _install("wrk")
    return bool(shutil.which("wrk"))


class Server:
    """gunicorn with the production settings on a free loopback port."""

    def __init__(self, root: Path, env: dict[str, str], log: Path):
        self.root, self.env, self.log = root, env, log
        self.port = _free_port()
        config = root / "gunicorn.conf.py"
        if config.exists():  # the repository's production configuration
            # ... without its worker restarts (max_requests): at the bench's thousands of
            # requests a second each worker restarts every 20 s or so, one restart every few
            # seconds in all, each taking a core for half a second.  A wrk run that met one
            # dipped to 0.6-0.7 × the baseline with twice the p90, whatever the page; without
            # them every cached page measured 0.88-0.96 × round after round.  In production,
            # at a clinic's traffic, restarts come hours apart.
            self.args = ["-c", str(config), "--max-requests", "0"]
            self.workers = f"with {config.name}, no restarts after max_requests"
        else:
            count = 2 * (os.cpu_count() or 1) + 1
            self.args = ["--workers", str(count), "--no-control-socket", "--timeout", "30"]
            self.workers = f"{count} sync workers"

    def __enter__(self) -> Server:
        self.log.parent.mkdir(parents=True, exist_ok=True)
        command = [sys.executable, "-m", "gunicorn", "mindscape.wsgi:application", *self.args]
        command += ["--bind", f"127.0.0.1:{self.port}"]
        with self.log.open("w") as out:
            self.process = subprocess.Popen(
                command, cwd=self.root, env={**os.environ, **self.env}, stdout=out, stderr=out
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited:\n{self.log.read_text()[-3000:]}")
            with contextlib.suppress(OSError):
                if self.get("/bench/baseline")[0] == 200:
                    return self
            time.sleep(0.2)
        self.process.kill()
        raise RuntimeError(f"gunicorn did not start:\n{self.log.read_text()[-3000:]}")

    def __exit__(self, *exc) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def get(self, path: str, cookie: str = "") -> tuple[int, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()


def latencies(
    server: Server,
    paths: list[str],
    cookie: str = "",
    beside: str | None = None,
    beside_cookie: str = "",
) -> tuple[list[float], list[float]]:
    """Milliseconds for each request, one at a time, as a visitor's browser would wait; with
    ``beside``, that path (the baseline, with ``beside_cookie`` if any) is asked before each
    one and its times are the second list: a shared machine's speed drifts within a run, so
    a ratio compares times taken at the same moments."""
    times, besides = [], []
    for path in paths:
        if beside is not None:
            besides.append(_timed(server, beside, beside_cookie)[0])
        took, status = _timed(server, path, cookie)
        times.append(took)
        if status != 200:
            raise RuntimeError(f"{path} answered {status}")
    return times, besides


def _timed(server: Server, path: str, cookie: str = "") -> tuple[float, int]:
    start = time.perf_counter()
    status, _ = server.get(path, cookie)
    return (time.perf_counter() - start) * 1000, status


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(number) * _UNITS[unit]


_ROTATE = """
local paths = {%s}
local n = 0
request = function()
  n = n %% #paths + 1
  return wrk.format("GET", paths[n])
end
"""


def wrk(url: str, seconds: int, connections: int, paths: list[str] | None = None) -> dict:
    """One wrk run (one thread: the load tool shares the machine's cores with the server).
    ``paths``: ask for these in turn (a query mix) instead of ``url``'s path."""
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        if paths:
            script.write(_ROTATE % ", ".join(_lua_string(path) for path in paths))
            script.flush()
            command += ["-s", script.name]
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    percentiles = dict(re.findall(r"^\s+(50|90|99)%\s+([\d.]+(?:us|ms|s))\s*$", output, re.M))
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": _ms(percentiles["50"]),
        "p90": _ms(percentiles["90"]),
        "p99": _ms(percentiles["99"]),
        "errors": _problems(output),
    }


def _lua_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _problems(output: str) -> str:
    """What wrk saw go wrong, or "": answers that were not 2xx/3xx (the site's fault), and
    socket errors (e.g. a connection closed while gunicorn recycles a worker after its
    ``max_requests``: the server logged every answer it gave as a 200)."""
    problems = []
    if found := re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output):
        problems.append(f"{found.group(1)} non-2xx")
    if found := re.search(r"Socket errors:\s+(.*)$", output, re.M):
        counts = dict(re.findall(r"(\w+) (\d+)", found.group(1)))
        problems += [f"{n} socket {kind}" for kind, n in counts.items() if n != "0"]
    return ", ".join(problems)


def cpu_yardstick() -> float:
    """Milliseconds this machine takes for a fixed piece of pure Python (median of 7): the
    same code on a slower or busier machine gives slower pages; compare this number
    before comparing two benches' absolute times."""
    times = []
    for _ in range(7):
        start = time.perf_counter()
        sum(i * i for i in range(300_000))
        times.append((time.perf_counter() - start) * 1000)
    return sorted(times)[len(times) // 2]


@contextlib.contextmanager
def _redis(binary: str, folder: Path):
    port = _free_port()
    with tempfile.TemporaryDirectory(dir=folder) as data:
        process = subprocess.Popen(
            [binary, "--bind", "127.0.0.1", "--port", str(port), "--dir", data, "--save", ""],
            stdout=subprocess.DEVNULL,
        )
        try:
            for _ in range(100):
                with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port)):
                    break
                time.sleep(0.05)
            yield f"redis://127.0.0.1:{port}/0"
        finally:
            process.terminate()
            process.wait(timeout=10)


def private_redis(folder: Path):
    """A private redis-server for the Redis run (never one already running), or None."""
    subprocess.run(["bash", str(Path(__file__).with_name("ensure-redis.sh"))], check=False)
    binary = os.environ.get("REDIS_SERVER") or shutil.which("redis-server")
    if not binary:
        return None
    folder.mkdir(parents=True, exist_ok=True)
    return _redis(binary, folder)


def page_weight(url: str) -> tuple[int, list[dict]] | None:
    """Bytes on the wire for a first visit in Chromium (phone viewport), the article's hero
    image (anything under /media/) left out; None without Chromium."""
    chromium = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    if not os.path.exists(chromium):
        print(f"Chromium not found at {chromium}: page weight not measured.", file=sys.stderr)
        return None
    from playwright.sync_api import sync_playwright

    from scripts.page_weight import measure

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, args=["--no-sandbox", "--disable-gpu"]
        )
        context = browser.new_context(viewport={"width": 360, "height": 800}, device_scale_factor=2)
        rows = [
            row for row in measure(context.new_page(), url) if not row["path"].startswith("/media/")
        ]
        browser.close()
    return sum(row["wire"] for row in rows), rows
