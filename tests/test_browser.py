"""Every page of the built website, opened in a real browser served from localhost.

Uses the system's Chromium (Debian's package), never a browser that Playwright would
download. In CI (CI=true) a missing Chromium fails the tests; elsewhere they skip.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest

from conftest import toc_files

AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
AXE_HINT = "install axe-core for the accessibility tests: `npm ci --prefix tests`"
INSTALL_HINT = ("install Chromium to run the browser tests: `sudo apt-get install chromium` "
                "on Debian/Ubuntu, or point BOOK_CHROMIUM at a Chromium or Chrome binary")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
PAGES = ["index.html", *(f"{entry}.html" for entry in toc_files()), "search.html",
         "genindex.html"]
# Chromium started as the probe of this machine does: no background traffic of its own.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


def find_chromium() -> str | None:
    candidates = [os.environ.get("BOOK_CHROMIUM"), shutil.which("chromium"),
                  shutil.which("chromium-browser"), shutil.which("google-chrome")]
    return next((c for c in candidates if c and Path(c).exists()), None)


@pytest.fixture(scope="module")
def site_url(built_site):
    """The built site served on an ephemeral localhost port, for this module's tests."""
    handler = functools.partial(QuietHandler, directory=str(built_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep pytest's output readable
        pass


@pytest.fixture(scope="module")
def browser():
    chromium = find_chromium()
    if chromium is None:
        if IN_CI:
            pytest.fail(f"CI must run the browser tests, but Chromium is missing: {INSTALL_HINT}")
        pytest.skip(INSTALL_HINT)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def open_page(browser, url: str, color_scheme: str = "light"):
    """Open ``url``; return the page and the list of problems seen while loading it."""
    page = browser.new_page(color_scheme=color_scheme)   # the theme follows it ("auto" mode)
    problems: list[str] = []
    ours = urlparse(url).netloc

    def on_request(request):
        parsed = urlparse(request.url)
        if parsed.scheme in ("data", "blob", "about"):
            return
        if parsed.netloc != ours:
            problems.append(f"request to another host: {request.url}")

    page.on("request", on_request)
    page.on("requestfailed", lambda r: problems.append(f"failed request: {r.url} ({r.failure})"))
    page.on("response", lambda r: r.status >= 400 and problems.append(
        f"HTTP {r.status} for {r.url}"))
    page.on("console", lambda m: m.type == "error" and problems.append(
        f"console error: {m.text}"))
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.goto(url, wait_until="networkidle")
    return page, problems


def image_problems(page) -> list[str]:
    images = page.eval_on_selector_all("img", """images => images.map(img => ({
        src: img.getAttribute('src'), alt: (img.getAttribute('alt') || '').trim(),
        loaded: img.complete && img.naturalWidth > 0}))""")
    problems = []
    for image in images:
        if not image["loaded"]:
            problems.append(f"image did not load: {image['src']}")
        if not image["alt"]:
            problems.append(f"image without alt text: {image['src']}")
    return problems


def maths_problems(page) -> list[str]:
    """Every maths element must be typeset by MathJax, without TeX errors."""
    count = page.eval_on_selector_all("span.math, div.math", "nodes => nodes.length")
    if count == 0:
        return []
    try:
        page.wait_for_function(
            """() => [...document.querySelectorAll('span.math, div.math')]
                     .every(node => node.querySelector('mjx-container'))""", timeout=20_000)
    except Exception:  # Playwright's TimeoutError
        untypeset = page.eval_on_selector_all(
            "span.math, div.math",
            "nodes => nodes.filter(n => !n.querySelector('mjx-container')).length")
        return [f"{untypeset} of {count} maths elements not typeset by MathJax"]
    errors = page.eval_on_selector_all("mjx-merror", "nodes => nodes.map(n => n.textContent)")
    return [f"MathJax error: {text}" for text in errors]


@pytest.mark.parametrize("path", PAGES)
def test_page_loads_cleanly_offline(browser, site_url, path):
    page, problems = open_page(browser, f"{site_url}/{path}")
    problems += image_problems(page)
    problems += maths_problems(page)
    page.close()
    assert not problems, f"{path}:\n  " + "\n  ".join(problems)


def test_chapter_pages_have_typeset_maths_and_figures(browser, site_url):
    """Guards the page checks above against passing because nothing was there to check."""
    page, _ = open_page(browser, f"{site_url}/book/01-categories-to-embeddings.html")
    maths_problems(page)
    assert page.locator("mjx-container").count() >= 10
    assert page.locator("img").count() >= 1
    page.close()


def test_search_finds_embedding(browser, site_url):
    page, problems = open_page(browser, f"{site_url}/search.html?q=embedding")
    results = page.locator("ul.search li")
    results.first.wait_for(timeout=20_000)
    links = results.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    page.close()
    assert not problems, problems
    assert any("01-categories-to-embeddings" in link for link in links), links


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.exists():
        if IN_CI:
            pytest.fail(f"CI must run the accessibility tests, but axe-core is missing: {AXE_HINT}")
        pytest.skip(AXE_HINT)
    return AXE.read_text()


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
@pytest.mark.parametrize("path", PAGES)
def test_page_has_no_serious_accessibility_violations(browser, site_url, axe_source, path,
                                                      color_scheme):
    page, _ = open_page(browser, f"{site_url}/{path}", color_scheme)
    theme = page.evaluate("document.documentElement.dataset.theme")
    assert theme == color_scheme, f"the theme is in {theme} mode, not {color_scheme}"
    page.add_script_tag(content=axe_source)      # inline: no request to any host
    violations = page.evaluate("""async () => (await axe.run(document)).violations
        .filter(v => v.impact === 'serious' || v.impact === 'critical')
        .map(v => `${v.impact} ${v.id}: ${v.help} (${v.nodes.length} elements, e.g. `
                  + v.nodes.slice(0, 2).map(n => n.target.join(' ')).join(' | ') + ')')""")
    page.close()
    assert not violations, f"{path}:\n  " + "\n  ".join(violations)


# The theme's own, nearly empty page: what every page weighs before its content.
EMPTY_THEME_PAGE = "genindex.html"
WEIGHT_ALLOWANCE = 500_000          # bytes a chapter may add to the empty page
HEAVY_PAGES = {"book/03-embedding-geometry.html": "the animation's frames"}


def page_weight(browser, url: str) -> tuple[int, int]:
    """Bytes the browser loaded for a page (the document and every resource it fetched),
    as (everything but MathJax, MathJax). MathJax is the same cached files on every page
    with maths, so it is reported apart from what the page itself adds."""
    page, _ = open_page(browser, url)
    maths_problems(page)                       # let MathJax fetch its fonts
    entries = page.evaluate("""() => performance.getEntriesByType('navigation')
        .concat(performance.getEntriesByType('resource'))
        .map(entry => [entry.name, entry.encodedBodySize])""")
    page.close()
    mathjax = sum(size for name, size in entries if "/_static/mathjax/" in name)
    return sum(size for _, size in entries) - mathjax, mathjax


def test_page_weights(browser, site_url, built_site):
    measured = {path: page_weight(browser, f"{site_url}/{path}") for path in PAGES}
    report = built_site.parent / "page-weights.json"
    report.write_text(json.dumps({p: {"bytes_without_mathjax": w, "mathjax_bytes": m}
                                  for p, (w, m) in measured.items()}, indent=1))
    print("\n".join(f"{w / 1e3:8.0f} kB + MathJax {m / 1e3:5.0f} kB  {p}"
                    for p, (w, m) in measured.items()))
    weights = {path: w for path, (w, _) in measured.items()}
    assert measured["book/01-categories-to-embeddings.html"][1] > 0, "MathJax was not counted"
    base = weights[EMPTY_THEME_PAGE]
    assert base > 100_000, "the empty page weighs implausibly little: is the theme loaded?"
    too_heavy = {p: w for p, w in weights.items()
                 if p not in HEAVY_PAGES and w > base + WEIGHT_ALLOWANCE}
    assert not too_heavy, f"pages over {base} + {WEIGHT_ALLOWANCE} bytes: {too_heavy}"
