"""``make audit``: Lighthouse's four scores for the pages that matter, as in production.

Starts ``python -m mindscape.ops.serve`` (gunicorn, production settings, media served as the
proxy would) on a free loopback port with the screening form enabled, then runs Lighthouse
(npm's package, installed into ``.local/node`` by the make target; Debian's Chromium) on
the home page, an article with a hero image, the consultation page and the screening gate,
three times each, and prints the median of each category as a Markdown table.  Lighthouse
sometimes fails to see the navigation start in headless Chromium (``NO_NAVSTART``); such a
run is retried.  Below 100, the audits that cost points are listed under the table.

Lighthouse's defaults are kept: a mid-range phone on a slow 4G connection, simulated.
Reports are kept in ``.local/audit/`` (open the ``.html`` ones in a browser).

    make audit        # AUDIT_RUNS=1 for a quick look
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

LIGHTHOUSE = ROOT / ".local" / "node" / "node_modules" / ".bin" / "lighthouse"
REPORTS = ROOT / ".local" / "audit"
PAGES = {
    "home": "/",
    "article": "/blog/what-is-ketamine-treatment/",
    "consultation": "/consultation/",
    "screening gate": "/intake/",
}
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage"
ATTEMPTS = 4  # per run: NO_NAVSTART (about one run in eight) and other start-up failures


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def chromium() -> str:
    path = os.environ.get("CHROME_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    if not os.access(path, os.X_OK):
        sys.exit(f"Chromium not found at {path}: run 'make browser' (or set CHROME_PATH).")
    return path


def start_server(port: int, log: Path) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_SETTINGS")}
    env.setdefault("INTAKE_FORM_ENABLED", "true")
    env.setdefault("LOG_LEVEL", "WARNING")
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "mindscape.ops.serve", "--port", str(port), "--workers", "3"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"make serve exited ({process.returncode}):\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5):  # noqa: S310
                return process
        except OSError:
            time.sleep(0.5)
    process.terminate()
    sys.exit(f"make serve did not answer in 180 s:\n{log.read_text()[-3000:]}")


def lighthouse(url: str, output: Path, chrome: str) -> dict:
    """One Lighthouse run's report; retried when Chromium or Lighthouse fail to start."""
    env = {**os.environ, "CHROME_PATH": chrome}
    error = ""
    for _ in range(ATTEMPTS):
        output.with_suffix(".report.json").unlink(missing_ok=True)
        result = subprocess.run(
            [
                str(LIGHTHOUSE),
                url,
                "--quiet",
                f"--chrome-flags={CHROME_FLAGS}",
                "--only-categories=" + ",".join(CATEGORIES),
                "--output=json",
                "--output=html",
                f"--output-path={output}",
                "--max-wait-for-load=60000",
            ],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        report_path = output.with_suffix(".report.json")
        if result.returncode == 0 and report_path.exists():
            report = json.loads(report_path.read_text())
            runtime = report.get("runtimeError", {}).get("code")
            if not runtime and all(
                report["categories"][c]["score"] is not None for c in CATEGORIES
            ):
                return report
            error = runtime or "a category without a score"
        else:
            error = (result.stderr or result.stdout).strip().splitlines()[-1:] or ["?"]
            error = error[0]
        print(f"    retrying {url}: {error}", file=sys.stderr)
    sys.exit(f"Lighthouse failed {ATTEMPTS} times on {url}: {error}")


def lost_points(report: dict, category: str) -> list[str]:
    """The weighted audits of a category that did not score full marks."""
    audits = report["audits"]
    lost = []
    for ref in report["categories"][category]["auditRefs"]:
        audit = audits[ref["id"]]
        if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
            lost.append(f"{ref['id']} ({audit['score']:.2f}: {audit.get('displayValue', '')})")
    return lost


def main() -> int:
    if not LIGHTHOUSE.exists():
        sys.exit("Lighthouse is not installed: run 'make audit', which installs it.")
    runs = int(os.environ.get("AUDIT_RUNS", "3"))
    chrome = chromium()
    REPORTS.mkdir(parents=True, exist_ok=True)
    port = free_port()
    server = start_server(port, REPORTS / "serve.log")
    scores: dict[str, dict[str, int]] = {}
    notes: list[str] = []
    try:
        for name, path in PAGES.items():
            url = f"http://127.0.0.1:{port}{path}"
            reports = []
            for run in range(1, runs + 1):
                output = REPORTS / f"{name.replace(' ', '-')}-{run}"
                report = lighthouse(url, output, chrome)
                reports.append(report)
                line = ", ".join(
                    f"{c} {round(report['categories'][c]['score'] * 100)}" for c in CATEGORIES
                )
                print(f"  {name} run {run}: {line}", file=sys.stderr)
            scores[name] = {
                c: round(statistics.median(r["categories"][c]["score"] * 100 for r in reports))
                for c in CATEGORIES
            }
            for category in CATEGORIES:
                if scores[name][category] < 100:
                    median_run = sorted(reports, key=lambda r: r["categories"][category]["score"])[
                        len(reports) // 2
                    ]
                    lost = "; ".join(lost_points(median_run, category)) or "(rounding)"
                    notes.append(f"- {name}, {category} {scores[name][category]}: {lost}")
    finally:
        server.terminate()
        server.wait(timeout=30)

    version = subprocess.run(
        [str(LIGHTHOUSE), "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    print(f"\nLighthouse {version}, median of {runs} run(s), mobile (simulated slow 4G):\n")
    print("| page | performance | accessibility | best practices | SEO |")
    print("|---|---|---|---|---|")
    for name, row in scores.items():
        print(f"| {name} `{PAGES[name]}` | " + " | ".join(str(row[c]) for c in CATEGORIES) + " |")
    if notes:
        print("\nBelow 100:")
        print("\n".join(notes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
