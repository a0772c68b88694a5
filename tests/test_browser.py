"""Every page of the built website, opened in a real browser served from localhost.

Uses the system's Chromium (Debian's package), never a browser that Playwright would
download. In CI (CI=true) a missing Chromium fails the tests; elsewhere they skip.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import itertools
import json
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import tempfile
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


# ---- The interactive explorers (book/explorers.py), on the pages that hold them ----------

FILM_EXPLORER_PAGE = "book/05-entity-embeddings.html"
TOY_EXPLORER_PAGE = "book/03-embedding-geometry.html"
AXE_SERIOUS = """async (selector) => (await axe.run(document.querySelector(selector))).violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => `${v.impact} ${v.id}: ${v.help} (${v.nodes.length} elements, e.g. `
              + v.nodes.slice(0, 2).map(n => n.target.join(' ')).join(' | ') + ')')"""


def explorer_on(page, selector: str, url: str):
    explorer = page.locator(selector)
    assert explorer.count() >= 1, (f"no {selector} explorer on {url}: its cell (from "
                                   f"book/explorers.py) is missing from the chapter")
    return explorer.first


def check_film_explorer(browser, url: str, axe_source: str | None = None,
                        color_scheme: str = "light") -> None:
    """Search "star wars" with the keyboard, pick Episode IV, and find another Star Wars film
    among its neighbours; then move by a neighbour, by the map, and close the suggestions."""
    from playwright.sync_api import expect

    page, problems = open_page(browser, url, color_scheme)
    explorer = explorer_on(page, ".bx-film", url)
    search = explorer.get_by_role("combobox", name="Find a film")
    options = explorer.get_by_role("option")
    search.click()
    search.press_sequentially("star wars", delay=10)
    expect(search).to_have_attribute("aria-expanded", "true")
    titles = options.all_text_contents()
    assert len(titles) >= 3 and all("Star Wars" in t for t in titles), titles
    if axe_source:                                # the open list, in this colour scheme
        page.add_script_tag(content=axe_source)
        violations = page.evaluate(AXE_SERIOUS, ".bx-film")
        assert not violations, "\n  ".join(violations)
    # Arrow keys move the active option (aria-activedescendant), Enter picks it.
    wanted = next(i for i, t in enumerate(titles) if "Episode IV" in t)
    for _ in range(wanted + 1):
        search.press("ArrowDown")
    search.press("ArrowDown")
    search.press("ArrowUp")
    active = options.nth(wanted)
    expect(active).to_have_attribute("aria-selected", "true")
    assert search.get_attribute("aria-activedescendant") == active.get_attribute("id")
    search.press("Enter")
    expect(search).to_have_attribute("aria-expanded", "false")
    expect(explorer.get_by_role("listbox")).to_be_hidden()
    chosen = explorer.get_attribute("data-chosen")
    assert "Episode IV" in chosen and search.input_value() == chosen
    neighbours = explorer.locator("ol button .bx-name").all_text_contents()
    similarities = [float(s) for s in explorer.locator("ol button .bx-sim").all_text_contents()]
    assert chosen not in neighbours and len(neighbours) == len(similarities) >= 5
    assert any("Star Wars" in name for name in neighbours), neighbours
    assert similarities == sorted(similarities, reverse=True), similarities
    assert all(-1 <= s <= 1 for s in similarities)
    # Enter on a neighbour moves to it.
    second = explorer.locator("ol button").nth(1)
    second_title = second.locator(".bx-name").text_content()
    second.focus()
    page.keyboard.press("Enter")
    expect(explorer).to_have_attribute("data-chosen", second_title)
    expect(explorer.locator(".bx-heading")).to_be_focused()
    # The map: the chosen film's point is in the tab order and names itself; an arrow key
    # moves to another point, Enter chooses it, hovering a point names it.
    point = explorer.locator("circle.bx-pt[tabindex='0']")
    expect(point).to_have_count(1)
    assert point.get_attribute("aria-label").startswith(second_title + ",")
    point.focus()
    expect(explorer.locator(".bx-tip text")).to_have_text(second_title)
    for key in ("ArrowRight", "ArrowLeft", "ArrowUp", "ArrowDown"):
        page.keyboard.press(key)
        label = page.evaluate("document.activeElement.getAttribute('aria-label') || ''")
        if not label.startswith(second_title + ","):
            break
    else:
        raise AssertionError("no arrow key moved the focus on the map")
    page.keyboard.press("Enter")
    moved_to = explorer.get_attribute("data-chosen")
    assert label.startswith(moved_to + ",") and moved_to != second_title, (label, moved_to)
    box = explorer.locator("circle.bx-pt").nth(0).bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(explorer.locator(".bx-tip")).to_have_attribute("visibility", "visible")
    # Escape closes the suggestions and keeps the text; a second Escape clears it.
    search.fill("")
    search.press_sequentially("lord of", delay=10)
    expect(search).to_have_attribute("aria-expanded", "true")
    search.press("Escape")
    expect(search).to_have_attribute("aria-expanded", "false")
    assert search.input_value() == "lord of"
    search.press("Escape")
    assert search.input_value() == ""
    page.close()
    assert not problems, f"{url}:\n  " + "\n  ".join(problems)


def check_toy_explorer(browser, url: str) -> None:
    """The slider (with the keyboard) and each select change what is drawn."""
    page, problems = open_page(browser, url)
    explorer = explorer_on(page, ".bx-toy", url)
    slider = explorer.get_by_role("slider", name="Training so far")
    figures = explorer.locator("svg")

    def drawing() -> list[str]:
        return figures.evaluate_all("svgs => svgs.map(svg => svg.innerHTML)")

    last = int(slider.get_attribute("max"))
    assert last >= 20 and slider.input_value() == str(last)
    drawings = [drawing()]
    slider.focus()
    page.keyboard.press("Home")
    assert slider.input_value() == "0"
    assert "iteration 0 of" in explorer.locator("output").text_content()
    drawings.append(drawing())
    page.keyboard.press("ArrowRight")
    assert slider.input_value() == "1"
    assert slider.get_attribute("aria-valuetext").startswith("iteration 1 of")
    drawings.append(drawing())
    page.keyboard.press("End")
    for label in ("Learning rate", "Seed", "Width d"):
        select = explorer.get_by_label(label)
        values = select.locator("option").evaluate_all("options => options.map(o => o.value)")
        assert len(values) >= 2, f"{label}: only {values}"
        select.select_option(values[-1] if select.input_value() != values[-1] else values[0])
        drawings.append(drawing())
    same = [i for i in range(1, len(drawings)) if drawings[i] == drawings[i - 1]]
    assert not same, f"steps {same} (slider: 1, 2; selects: 3 to 5) left the drawing unchanged"
    # Every run says whether it learned; among them, at least one failed and one did not.
    selects = [explorer.get_by_label(label) for label in ("Learning rate", "Seed", "Width d")]
    choices = [s.locator("option").evaluate_all("options => options.map(o => o.value)")
               for s in selects]
    verdicts = set()
    for combination in itertools.product(*choices):
        for select, value in zip(selects, combination):
            select.select_option(value)
        verdicts.add("failed" in explorer.locator(".bx-verdict").text_content())
    page.close()
    assert not problems, f"{url}:\n  " + "\n  ".join(problems)
    assert verdicts == {True, False}, "expected runs that failed and runs that learned"


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_film_explorer_search_keyboard_and_map(browser, site_url, axe_source, color_scheme):
    check_film_explorer(browser, f"{site_url}/{FILM_EXPLORER_PAGE}", axe_source, color_scheme)


def test_film_explorer_works_opened_from_disk(browser, built_site):
    check_film_explorer(browser, (built_site / FILM_EXPLORER_PAGE).as_uri())


def test_toy_explorer_slider_and_runs_redraw(browser, site_url):
    check_toy_explorer(browser, f"{site_url}/{TOY_EXPLORER_PAGE}")


# ---- Live code: `tasks.py serve --live`, and a page's cells run against its Jupyter server ---

LIVE_PAGES = {   # a NumPy chapter and a TensorFlow chapter, with an edit and what it prints
    "book/01-categories-to-embeddings.html": ("print(sum(range(7)) * 2)", "42"),
    FILM_EXPLORER_PAGE: ('import movielens; print(len(movielens.load_ratings()), "ratings")',
                         "100004 ratings"),
}
THEBE_HINT = ("live code needs thebe's files: `python3.11 book/_ext/live_code.py` gets them "
              "(with npm) into _build/thebe-0.9.3, and the build copies them into the site")


@contextlib.contextmanager
def live_server(root: Path):
    """`python tasks.py serve --live --port 0` for the book at ``root``: yields the site's URL,
    then stops it (and with it the Jupyter server and its kernels)."""
    html = root / "_build" / "html"
    if not ((html / "_static" / "thebe" / "index.js").exists()
            or (root / "_build" / "thebe-0.9.3" / "index.js").exists()):
        if IN_CI:
            pytest.fail(f"CI must test live code, but thebe is missing: {THEBE_HINT}")
        pytest.skip(THEBE_HINT)
    log = tempfile.TemporaryFile(mode="w+")
    process = subprocess.Popen([sys.executable, str(root / "tasks.py"), "serve", "--live",
                                "--port", "0"], cwd=root, stdout=subprocess.PIPE, stderr=log,
                               text=True)
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stdout],
                     daemon=True).start()
    try:
        url = None
        while url is None:
            try:
                line = lines.get(timeout=180)
            except queue.Empty:
                break
            found = re.search(r"Serving the book on (http://127\.0\.0\.1:\d+)", line)
            url = found and found.group(1)
        if url is None:
            log.seek(0)
            pytest.fail("`tasks.py serve --live` did not start:\n" + log.read()[-3000:])
        yield url
    finally:
        process.send_signal(signal.SIGTERM)        # tasks.py then stops Jupyter
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def check_live_code(browser, site: str, path: str, code: str, expected: str,
                    axe_source: str | None, color_scheme: str = "light") -> None:
    """Turn live code on, replace the first visible cell's code, run it with Shift+Enter, and
    see its output; nothing may leave 127.0.0.1, nothing may go to the console as an error."""
    from playwright.sync_api import expect

    page = browser.new_page(color_scheme=color_scheme)
    problems: list[str] = []

    def outside(url: str) -> None:
        parsed = urlparse(url)
        if parsed.scheme not in ("data", "blob", "about") and parsed.hostname != "127.0.0.1":
            problems.append(f"request to another host: {url}")

    page.on("request", lambda request: outside(request.url))
    page.on("websocket", lambda socket: outside(socket.url))
    page.on("response", lambda r: r.status >= 400 and problems.append(f"HTTP {r.status}: {r.url}"))
    page.on("console", lambda m: m.type == "error" and problems.append(f"console error: {m.text}"))
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.goto(f"{site}/{path}", wait_until="networkidle")
    button = page.get_by_role("button", name="Live code")
    button.click()
    page.wait_for_function("document.documentElement.dataset.bookLive === 'ready'",
                           timeout=120_000)
    editors = page.locator(".thebe-cell .CodeMirror").locator("visible=true")
    assert editors.count() >= 2, "live mode made fewer than two cells editable"
    editors.first.click()
    page.keyboard.press("Control+A")
    page.keyboard.type(code)
    page.keyboard.press("Shift+Enter")
    output = page.locator(".thebe-cell").locator("visible=true").first.locator(
        ".thebe-output").first
    expect(output).to_contain_text(expected, timeout=120_000)
    if axe_source:
        page.add_script_tag(content=axe_source)
        violations = page.evaluate(AXE_SERIOUS, "body")
        assert not violations, f"{path} in live mode:\n  " + "\n  ".join(violations)
    page.close()
    assert not problems, f"{path} in live mode:\n  " + "\n  ".join(problems)


def test_live_code_runs_an_edited_cell(browser, built_site, axe_source):
    with live_server(built_site.parents[1]) as site:
        for (path, (code, expected)), scheme in zip(LIVE_PAGES.items(), ["light", "dark"]):
            check_live_code(browser, site, path, code, expected, axe_source, scheme)


def test_no_live_code_button_without_a_server(browser, site_url):
    page, problems = open_page(browser, f"{site_url}/{FILM_EXPLORER_PAGE}")
    assert page.evaluate("'bookLiveCode' in window && window.bookLiveCode === null"), \
        "live-config.js did not load, or the built site names a Jupyter server"
    assert page.locator(".book-live").count() == 0
    page.close()
    assert not problems, problems
