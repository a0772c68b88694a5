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
import unicodedata
from pathlib import Path
from urllib.parse import urlparse

import numpy as np
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


# Serious and critical violations axe-core finds in the element a selector names (None: the
# whole document).
AXE_SERIOUS = """async (selector) => (await axe.run(selector ? document.querySelector(selector)
                                                           : document)).violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => `${v.impact} ${v.id}: ${v.help} (${v.nodes.length} elements, e.g. `
              + v.nodes.slice(0, 2).map(n => n.target.join(' ')).join(' | ') + ')')"""


def axe_or_none() -> str | None:
    """axe-core's script, or None where it is not installed (in CI, that fails)."""
    if not AXE.exists():
        if IN_CI:
            pytest.fail(f"CI must run the accessibility tests, but axe-core is missing: {AXE_HINT}")
        return None
    return AXE.read_text()


@pytest.fixture(scope="module")
def axe_source() -> str:
    axe = axe_or_none()
    if axe is None:
        pytest.skip(AXE_HINT)
    return axe


# The theme's own, nearly empty page: what every page weighs before its content.
EMPTY_THEME_PAGE = "genindex.html"
WEIGHT_ALLOWANCE = 500_000          # bytes a chapter may add to the empty page
HEAVY_PAGES = {"book/03-embedding-geometry.html": "the animation's frames"}


def loaded_bytes(page) -> tuple[int, int]:
    """Bytes the browser loaded for a page (the document and every resource it fetched),
    as (everything but MathJax, MathJax). MathJax is the same cached files on every page
    with maths, so it is reported apart from what the page itself adds. Call it once the
    maths is typeset (maths_problems waits for that), when MathJax has fetched its fonts."""
    entries = page.evaluate("""() => performance.getEntriesByType('navigation')
        .concat(performance.getEntriesByType('resource'))
        .map(entry => [entry.name, entry.encodedBodySize])""")
    mathjax = sum(size for name, size in entries if "/_static/mathjax/" in name)
    return sum(size for _, size in entries) - mathjax, mathjax


@functools.cache
def empty_page_bytes(browser, site_url: str) -> int:
    page, _ = open_page(browser, f"{site_url}/{EMPTY_THEME_PAGE}")
    maths_problems(page)
    weight, _ = loaded_bytes(page)
    page.close()
    return weight


def test_the_empty_page_weighs_what_the_theme_does(browser, site_url):
    assert empty_page_bytes(browser, site_url) > 100_000, \
        "the empty page weighs implausibly little: is the theme loaded?"


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
@pytest.mark.parametrize("path", PAGES)
def test_page_is_clean_offline_light_and_accessible(browser, site_url, path, color_scheme):
    """One load of each page in each colour scheme: no request to another host, no failed
    request, no console error, every image loaded with alt text, every formula typeset, a
    weight within the allowance, and no serious accessibility violation (axe-core)."""
    page, problems = open_page(browser, f"{site_url}/{path}", color_scheme)
    try:                        # the theme's script turns "auto" into the reader's scheme
        page.wait_for_function(f"document.documentElement.dataset.theme === '{color_scheme}'",
                               timeout=20_000)
    except Exception:  # Playwright's TimeoutError: the assertion says what is wrong
        pass
    theme = page.evaluate("document.documentElement.dataset.theme")
    assert theme == color_scheme, f"the theme is in {theme} mode, not {color_scheme}"
    problems += image_problems(page)
    problems += maths_problems(page)
    # The theme makes blocks that overflow focusable (axe requires it) 300 ms after the page
    # last changed (pydata-sphinx-theme's debounced updateTabStops), e.g. after MathJax.
    page.wait_for_timeout(400)
    weight, mathjax = loaded_bytes(page)
    print(f"{path}: {weight / 1e3:.0f} kB + MathJax {mathjax / 1e3:.0f} kB")
    if page.locator("span.math, div.math").count() and not mathjax:
        problems.append("MathJax's files were not counted in the page's weight")
    limit = empty_page_bytes(browser, site_url) + WEIGHT_ALLOWANCE
    if path not in HEAVY_PAGES and weight > limit:
        problems.append(f"it weighs {weight:,} bytes, over {limit:,} (the empty page + "
                        f"{WEIGHT_ALLOWANCE:,})")
    axe = axe_or_none()
    if axe:
        page.add_script_tag(content=axe)          # inline: no request to any host
        problems += page.evaluate(AXE_SERIOUS, None)
    page.close()
    assert not problems, f"{path} ({color_scheme}):\n  " + "\n  ".join(problems)
    if not axe:
        pytest.skip(f"everything but accessibility checked: {AXE_HINT}")


# ---- The interactive explorers (book/explorers.py), on the pages that hold them ----------

FILM_EXPLORER_PAGE = "book/05-entity-embeddings.html"
TOY_EXPLORER_PAGE = "book/03-embedding-geometry.html"


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
    data = json.loads(explorer.locator("script.bx-data").text_content())
    search = explorer.get_by_role("combobox", name="Find a film")
    options = explorer.get_by_role("option")
    status = page.locator("#" + search.get_attribute("aria-describedby"))
    instruction = status.text_content()
    # The opening film's heading counts its ratings with the chapter's word for them.
    start = data["start"]
    expect(explorer.locator(".bx-heading")).to_contain_text(
        f"({data['n'][start]:,} {data['label']})")
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
    # Each neighbour's button is named by its title and its similarity, apart (browsers
    # put a space between the button's parts, before the comma too).
    for name, similarity in zip(neighbours, explorer.locator("ol button .bx-sim")
                                .all_text_contents()):
        spoken = re.compile(rf"^{re.escape(name)} ?, cosine similarity {similarity}$")
        expect(explorer.get_by_role("button", name=spoken)).to_have_count(1)
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
    # The status counts every match, not only the suggestions listed.
    search.fill("")
    search.press_sequentially("the", delay=10)
    matching = sum("the" in folded(title) for title in data["titles"])
    assert matching > 8, "this check needs more matches than suggestions"
    expect(status).to_contain_text(f"{matching:,} films match")
    expect(options).to_have_count(8)
    # Escape closes the suggestions and keeps the text (the status says so); a second
    # Escape clears it, and the instruction comes back.
    search.fill("")
    search.press_sequentially("lord of", delay=10)
    expect(search).to_have_attribute("aria-expanded", "true")
    search.press("Escape")
    expect(search).to_have_attribute("aria-expanded", "false")
    assert search.input_value() == "lord of"
    expect(status).not_to_contain_text("Enter to choose")
    search.press("Escape")
    assert search.input_value() == ""
    assert " ".join(status.text_content().split()) == " ".join(instruction.split())
    search.press_sequentially("x", delay=10)
    search.press("Backspace")
    assert " ".join(status.text_content().split()) == " ".join(instruction.split())
    # Nothing found: the status says which films are here, and does not echo a long entry.
    search.fill("q" * 5_000)
    expect(status).to_contain_text(f"at least {data['min']} {data['label']}")
    assert len(status.text_content()) < 250, status.text_content()[:300]
    page.close()
    assert not problems, f"{url}:\n  " + "\n  ".join(problems)


def folded(title: str) -> str:
    """A title as the film explorer's search compares it: no accents, lower case, letters
    and digits only, separated by single spaces."""
    plain = "".join(c for c in unicodedata.normalize("NFD", title)
                    if not "\u0300" <= c <= "\u036f")
    return re.sub(r"[^a-z0-9]+", " ", plain.lower()).strip()


def check_toy_explorer(browser, url: str) -> None:
    """The slider (with the keyboard) and each select change what is drawn."""
    page, problems = open_page(browser, url)
    explorer = explorer_on(page, ".bx-toy", url)
    data = json.loads(explorer.locator("script.bx-data").text_content())
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
    verdicts, scales = set(), {}
    t = int(slider.input_value())
    for combination in itertools.product(*choices):
        for select, value in zip(selects, combination):
            select.select_option(value)
        verdicts.add("failed" in explorer.locator(".bx-verdict").text_content())
        run = data["runs"]["-".join(combination)]
        # The four outputs are in the text too, not only drawn.
        outputs = [f"{run['out'][3 * t + code] / 1000:.3f}" for code in data["codes"]]
        assert ", ".join(outputs) in explorer.locator(".bx-distances").text_content()
        # Both axes of the plane have one scale, as in the chapter's figure: the trails'
        # points on the page against the run's positions.
        drawn = [[float(v) for v in re.findall(r"-?[\d.]+", d)] for d in
                 explorer.locator("path.bx-trail").evaluate_all("ps => ps.map(p => "
                                                                "p.getAttribute('d'))")]
        xy = np.array(run["xy"]).reshape(-1, 3, 2)[:t + 1] / 1000
        pixels = np.array([drawn[c] for c in range(3)]).reshape(3, -1, 2).transpose(1, 0, 2)
        spread = np.ptp(xy.reshape(-1, 2), axis=0)
        if spread.min() > 0.2 * spread.max():        # both axes long enough to measure
            scale = np.ptp(pixels.reshape(-1, 2), axis=0) / spread
            scales["-".join(combination)] = scale[0] / scale[1]
    page.close()
    assert not problems, f"{url}:\n  " + "\n  ".join(problems)
    assert verdicts == {True, False}, "expected runs that failed and runs that learned"
    assert len(scales) >= 10 and "1-0-0" in scales, sorted(scales)
    unequal = {run: round(ratio, 3) for run, ratio in scales.items() if abs(ratio - 1) > 0.02}
    assert not unequal, f"x scale / y scale of the plane, by run: {unequal}"


def check_toy_explorer_on_a_phone(browser, url: str) -> None:
    """On a 360-pixel-wide screen the figures' text stays at least 11 pixels high, and no
    two labels overlap or leave the figure."""
    page = browser.new_page(viewport={"width": 360, "height": 800})
    page.goto(url, wait_until="networkidle")
    explorer = explorer_on(page, ".bx-toy", url)
    explorer.scroll_into_view_if_needed()
    page.wait_for_timeout(300)                          # a redraw after a resize, if any
    found = explorer.locator("svg").evaluate_all("""svgs => svgs.map(svg => {
        const box = svg.viewBox.baseVal, scale = svg.getScreenCTM().a, problems = [];
        const texts = [...svg.querySelectorAll('text')].filter(t => t.textContent.trim()
            && getComputedStyle(t).visibility !== 'hidden');
        const boxes = texts.map(t => t.getBoundingClientRect());
        const frame = svg.getBoundingClientRect();
        texts.forEach((t, i) => {
            const px = parseFloat(getComputedStyle(t).fontSize) * scale;
            if (px < 11) problems.push(`"${t.textContent}" is ${px.toFixed(1)} px`);
            const b = boxes[i];
            if (b.left < frame.left - 1 || b.right > frame.right + 1 || b.top < frame.top - 1
                || b.bottom > frame.bottom + 1) problems.push(`"${t.textContent}" leaves it`);
            for (let j = 0; j < i; j++) {
                const o = boxes[j];
                if (b.left < o.right - 1 && o.left < b.right - 1 && b.top < o.bottom - 1
                    && o.top < b.bottom - 1)
                    problems.push(`"${t.textContent}" overlaps "${texts[j].textContent}"`);
            }
        });
        return [svg.getAttribute('class'), problems];
    })""")
    page.close()
    problems = [f"{name}: {p}" for name, found_problems in found for p in found_problems]
    assert not problems, "\n  ".join(problems)


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_film_explorer_search_keyboard_and_map(browser, site_url, axe_source, color_scheme):
    check_film_explorer(browser, f"{site_url}/{FILM_EXPLORER_PAGE}", axe_source, color_scheme)


def test_film_explorer_works_opened_from_disk(browser, built_site):
    check_film_explorer(browser, (built_site / FILM_EXPLORER_PAGE).as_uri())


def test_toy_explorer_slider_and_runs_redraw(browser, site_url):
    check_toy_explorer(browser, f"{site_url}/{TOY_EXPLORER_PAGE}")


def test_toy_explorer_is_legible_on_a_phone(browser, site_url):
    check_toy_explorer_on_a_phone(browser, f"{site_url}/{TOY_EXPLORER_PAGE}")


# ---- Live code: `tasks.py serve --live`, and a page's cells run against its Jupyter server ---

LIVE_CHAPTER = "book/01-categories-to-embeddings.html"   # a NumPy chapter
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


@pytest.fixture(scope="module")
def live_site(built_site):
    """The site served by `tasks.py serve --live`, for this module's live-code tests."""
    with live_server(built_site.parents[1]) as site:
        yield site


def watch_live_page(page, problems: list[str]) -> None:
    """Note every request that leaves 127.0.0.1, every HTTP error and every console error."""
    def outside(url: str) -> None:
        parsed = urlparse(url)
        if parsed.scheme not in ("data", "blob", "about") and parsed.hostname != "127.0.0.1":
            problems.append(f"request to another host: {url}")

    page.on("request", lambda request: outside(request.url))
    page.on("websocket", lambda socket: outside(socket.url))
    page.on("response", lambda r: r.status >= 400 and problems.append(f"HTTP {r.status}: {r.url}"))
    page.on("console", lambda m: m.type == "error" and problems.append(f"console error: {m.text}"))
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))


def start_live_code(page, url: str) -> None:
    """Open ``url`` in ``page`` and turn live code on."""
    page.goto(url, wait_until="networkidle")
    page.get_by_role("button", name="Live code").click()
    page.wait_for_function("document.documentElement.dataset.bookLive === 'ready'",
                           timeout=120_000)


def run_first_cell(page, code: str, expected: str) -> None:
    """Replace the first visible cell's code, run it with Shift+Enter, and see its output."""
    from playwright.sync_api import expect

    editors = page.locator(".thebe-cell .CodeMirror").locator("visible=true")
    assert editors.count() >= 2, "live mode made fewer than two cells editable"
    editors.first.click()
    page.keyboard.press("Control+A")
    page.keyboard.type(code)
    page.keyboard.press("Shift+Enter")
    output = page.locator(".thebe-cell").locator("visible=true").first.locator(
        ".thebe-output").first
    expect(output).to_contain_text(expected, timeout=120_000)


@pytest.mark.xdist_group("live")   # one live server for both tests, on one worker
def test_live_code_runs_an_edited_cell(browser, live_site, axe_source):
    """In one browser tab: a NumPy chapter and a TensorFlow chapter each run an edited cell
    in a kernel of their own; a reload keeps a page's kernel, its restart button clears it.
    Nothing may leave 127.0.0.1 and nothing may go to the console as an error."""
    from playwright.sync_api import expect

    page = browser.new_page(color_scheme="light")
    problems: list[str] = []
    watch_live_page(page, problems)
    first, second = f"{live_site}/{LIVE_CHAPTER}", f"{live_site}/{FILM_EXPLORER_PAGE}"
    start_live_code(page, first)
    run_first_cell(page, "marker = sum(range(7)) * 2; print(marker)", "42")
    if axe_source:
        page.add_script_tag(content=axe_source)
        violations = page.evaluate(AXE_SERIOUS, "body")
        assert not violations, f"{LIVE_CHAPTER} in live mode:\n  " + "\n  ".join(violations)
    # The same tab, another chapter, in dark mode: its own kernel, without the marker.
    page.emulate_media(color_scheme="dark")
    start_live_code(page, second)
    # (a line short enough to fit the editor: axe misjudges the colours of a scrolled line)
    run_first_cell(page, 'import movielens; print(len(movielens.load_ratings()), '
                         '"marker" in dir())', "100004 False")
    if axe_source:
        page.add_script_tag(content=axe_source)
        violations = page.evaluate(AXE_SERIOUS, "body")
        assert not violations, f"{FILM_EXPLORER_PAGE} in live mode:\n  " + "\n  ".join(
            violations)
    # Back on the first chapter (a new load of the page): its kernel still has the marker ...
    page.emulate_media(color_scheme="light")
    start_live_code(page, first)
    run_first_cell(page, "print(marker + 1)", "43")
    # ... until its restart button restarts that kernel. A cell run while the kernel
    # restarts is lost (thebe says nothing when the restart is over), so run it until it
    # answers: True would be the old kernel, False a fresh one.
    page.locator(".thebe-cell").locator("visible=true").first.get_by_role(
        "button", name="restart", exact=True).click()
    editor = page.locator(".thebe-cell .CodeMirror").locator("visible=true").first
    output = page.locator(".thebe-cell").locator("visible=true").first.locator(
        ".thebe-output").first
    editor.click()
    page.keyboard.press("Control+A")
    page.keyboard.type('print("marker" in dir())')
    for _ in range(30):
        editor.click()
        page.keyboard.press("Shift+Enter")
        try:
            expect(output).to_contain_text("False", timeout=4_000)
            break
        except AssertionError:
            pass
    expect(output).to_contain_text("False")
    expect(page.locator(".book-live-status")).to_contain_text("Ready")
    page.close()
    assert not problems, "live mode:\n  " + "\n  ".join(problems)


def live_config(site: str, headers: dict[str, str]):
    """What the site's live-config.js names (None: no server), asked with these headers."""
    import urllib.request

    request = urllib.request.Request(f"{site}/_static/live-config.js", headers=headers)
    with urllib.request.urlopen(request, timeout=30) as response:
        text = response.read().decode()
    prefix = "window.bookLiveCode = "
    line = next(line for line in text.splitlines() if line.startswith(prefix))
    return json.loads(line[len(prefix):].rstrip(";"))


@pytest.mark.xdist_group("live")
def test_live_config_goes_to_this_sites_own_pages_only(live_site):
    """The token is handed to a script of this site's own pages (the browser says
    Sec-Fetch-Site: same-origin, and the Host is this site's), and to nothing else: not to a
    request without that header (a program), nor to another site's page, nor through
    another host name that resolves here (DNS rebinding)."""
    port = urlparse(live_site).port
    own = {"Sec-Fetch-Site": "same-origin"}
    server = live_config(live_site, own)
    assert server and server["url"].startswith("http://127.0.0.1:") and len(server["token"]) > 20
    assert live_config(live_site, {**own, "Host": f"localhost:{port}"}) == server
    refused = [{}, {"Sec-Fetch-Site": "none"}, {"Sec-Fetch-Site": "same-site"},
               {"Sec-Fetch-Site": "cross-site"}, {**own, "Host": f"rebound.example:{port}"},
               {**own, "Host": "127.0.0.1"}, {**own, "Host": f"127.0.0.1:{port + 1}"},
               {**own, "Host": f"localhost.example:{port}"}]
    for headers in refused:
        assert live_config(live_site, headers) is None, headers


def unused_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_live_code_from_a_link_fails_clearly_and_can_be_forgotten(browser, site_url):
    """A link names a server that is not there: the token leaves the address bar, the failure
    says what to check, the button offers another try, and the server can be forgotten."""
    from playwright.sync_api import expect

    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    server = f"http://127.0.0.1:{unused_port()}"
    page.goto(f"{site_url}/{LIVE_CHAPTER}?jupyter={server}&token=secret-token-123#top",
              wait_until="networkidle")
    try:                    # live-code.js does it once live-config.js has loaded after it
        page.wait_for_function("!location.href.includes('secret-token-123')", timeout=20_000)
    except Exception:  # Playwright's TimeoutError: the assertion says what is wrong
        pass
    assert "secret-token-123" not in page.url and "jupyter=" not in page.url, page.url
    assert page.url.endswith(f"/{LIVE_CHAPTER}#top"), page.url
    status = page.locator(".book-live-status")
    expect(status).to_contain_text(server)
    page.get_by_role("button", name="Live code").click()
    retry = page.get_by_role("button", name="Try again")
    expect(retry).to_be_enabled(timeout=60_000)
    if page.evaluate("'thebe' in window"):
        for cause in ("running", "token", "origin"):
            expect(status).to_contain_text(cause)
        page.evaluate("window.beforeRetry = true")
        retry.click()                               # another attempt, on a fresh page
        expect(page.get_by_role("button", name="Try again")).to_be_enabled(timeout=60_000)
        assert page.evaluate("window.beforeRetry") is None
    else:                                           # a site built without thebe's files
        expect(status.get_by_role("link")).to_have_attribute("href", re.compile(
            r"teaching\.html#live-code-on-the-website$"))
        with page.expect_request(re.compile(r"_static/thebe/index\.js")):
            retry.click()                           # another attempt to load thebe
        expect(retry).to_be_enabled(timeout=60_000)
    page.get_by_role("button", name="Forget this server").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator(".book-live")).to_have_count(0)   # the built site names no server
    assert page.evaluate("sessionStorage.getItem('book-live-code')") is None
    page.close()
    assert not errors, errors


def test_no_live_code_button_without_a_server(browser, site_url):
    page, problems = open_page(browser, f"{site_url}/{FILM_EXPLORER_PAGE}")
    try:                                  # live-code.js loads live-config.js after the page
        page.wait_for_function("'bookLiveCode' in window", timeout=15_000)
    except Exception:  # Playwright's TimeoutError: the assertion below says what is wrong
        pass
    assert page.evaluate("'bookLiveCode' in window && window.bookLiveCode === null"), \
        "live-config.js did not load, or the built site names a Jupyter server"
    assert page.locator(".book-live").count() == 0
    page.close()
    assert not problems, problems
