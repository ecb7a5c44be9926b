"""What a first visit to a page downloads, as a phone sees it.

Opens each URL in a fresh Chromium (no cache) at a phone-sized viewport, waits until the
network is quiet, and lists every response: its type, the bytes that crossed the wire
(compressed or not, as the server sent them) and, for text, what gzip would make of it.
Images below the fold that load lazily are not counted, as on a real first view.

    make run   # in another terminal
    .venv/bin/python scripts/page_weight.py http://127.0.0.1:8000/blog/what-is-ketamine-treatment/

Options: --width (default 360), --dpr (device pixel ratio, default 2), --chromium PATH.
"""

from __future__ import annotations

import argparse
import gzip
import os
from urllib.parse import urlsplit

from playwright.sync_api import sync_playwright

TEXT_TYPES = ("document", "stylesheet", "script", "xhr", "fetch")


def measure(page, url: str) -> list[dict]:
    rows: list[dict] = []

    def on_response(response):
        request = response.request
        try:
            body = response.body()
        except Exception:  # redirects and aborted requests have no body
            body = b""
        sizes = request.sizes()
        rows.append(
            {
                "type": request.resource_type,
                "status": response.status,
                "path": urlsplit(response.url).path,
                "encoding": response.headers.get("content-encoding", "-"),
                "wire": sizes["responseBodySize"] + sizes["responseHeadersSize"],
                "body": len(body),
                "gzip": len(gzip.compress(body, 9))
                if request.resource_type in TEXT_TYPES
                else len(body),
            }
        )

    page.on("response", on_response)
    page.goto(url, wait_until="networkidle")
    page.remove_listener("response", on_response)
    return rows


def report(url: str, rows: list[dict]) -> None:
    print(f"\n{url}")
    print(f"  {'type':<11}{'status':>6}{'wire':>10}{'body':>10}{'gzip':>10}  enc   path")
    for row in rows:
        print(
            f"  {row['type']:<11}{row['status']:>6}{row['wire']:>10,}{row['body']:>10,}"
            f"{row['gzip']:>10,}  {row['encoding']:<5} {row['path']}"
        )
    for label, key in (("as served (wire)", "wire"), ("if text were gzipped", "gzip")):
        total = sum(row[key] for row in rows)
        print(f"  total {label}: {total:,} bytes ({total / 1024:.1f} KiB) in {len(rows)} requests")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("urls", nargs="+")
    parser.add_argument("--width", type=int, default=360)
    parser.add_argument("--dpr", type=float, default=2)
    parser.add_argument("--chromium", default=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
    args = parser.parse_args()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=args.chromium, args=["--no-sandbox", "--disable-gpu"]
        )
        for url in args.urls:
            context = browser.new_context(
                viewport={"width": args.width, "height": 800}, device_scale_factor=args.dpr
            )
            report(url, measure(context.new_page(), url))
            context.close()
        browser.close()


if __name__ == "__main__":
    main()
