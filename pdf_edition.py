"""Write the whole book as one PDF, in a student and a teacher edition.

    python3.11 tasks.py pdf     # _build/pdf/embeddings-book-student.pdf and -teacher.pdf

The teacher edition is the website's text, solutions included. The student edition is the
same without the solutions (each solution box: its text and the code cells between
``{solution-start}`` and ``{solution-end}``), as in the student notebooks of
``editions.py``; the exercises, their checks and their hints stay.

How, with nothing downloaded:

1. Jupyter Book's ``singlehtml`` builder writes every page of ``_toc.yml`` into one HTML
   page, in ``_build/pdf/_build/singlehtml/``. It reads the chapters' outputs from the
   website's execution cache, ``_build/.jupyter_cache``, so no chapter runs again when
   the website is built and up to date.
2. The system's Chromium (Debian's package, the one the browser tests use), driven by
   Playwright, opens that page from a server on 127.0.0.1, waits until MathJax has
   typeset every formula (it fails otherwise), puts the pages in reading order after a
   title page and the contents, replaces each animation by a strip of still frames, and
   adds print styles: code that wraps, figures that fit the page, no sidebars or
   buttons, each chapter on a new sheet.
3. It prints the teacher edition, then removes the solution boxes and prints the student
   edition. Each is printed twice: a quick print with the chapters left unpainted says
   on which page each chapter starts; the real one has those numbers in the contents and
   is a tagged PDF, whose outline (bookmarks) is then retitled from the page's headings
   (pypdf reads the PDF; the new outline is appended as an incremental update).

This module is also a small Sphinx extension, loaded by the single-page build only (see
``setup``); the website's build does not load it.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import html
import http.server
import io
import logging
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
EDITIONS = ("student", "teacher")
PDF_NAME = "embeddings-book-{edition}.pdf"
EDITION_NOTES = {
    "student": "Student edition: the exercises without their solutions",
    "teacher": "Teacher edition: the exercises with their solutions",
}
# Where `tasks.py pdf` puts a copy of the PDFs inside the website, for the home page's links.
SITE_FOLDER = "pdf"
CHROMIUM_HINT = ("The PDF is printed by Chromium, which is not installed: on Debian or Ubuntu "
                 "run `sudo apt-get install chromium`, or set BOOK_CHROMIUM to the path of a "
                 "Chromium or Chrome binary. (No browser is ever downloaded.)")
# Chromium started as the browser tests start it: no background traffic of its own.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
STRICT_BUILD_OPTIONS = ["-W", "-n", "--keep-going"]     # as the website's build
FRAMES_PER_ANIMATION = 3


class PdfError(RuntimeError):
    """Something stopped the PDF; the message says what (and how to fix it, if it can)."""


def find_chromium() -> str:
    """The Chromium (or Chrome) binary to print with; PdfError says how to install one."""
    candidates = [os.environ.get("BOOK_CHROMIUM"), shutil.which("chromium"),
                  shutil.which("chromium-browser"), shutil.which("google-chrome")]
    found = next((c for c in candidates if c and Path(c).exists()), None)
    if found is None:
        raise PdfError(CHROMIUM_HINT)
    return found


# --------------------------------------------------------------------------
# Step 1: the book as one HTML page
# --------------------------------------------------------------------------

def single_page_config(book: Path) -> dict:
    """The book's _config.yml, adapted for the single-page build.

    The build writes under _build/pdf/, so the execution cache is named by its absolute
    path (MyST-NB's default is beside the output); the local extensions' paths, which
    Jupyter Book reads relative to the config file, become absolute too, and this
    module joins them.
    """
    import yaml

    config = yaml.safe_load((book / "_config.yml").read_text(encoding="utf-8"))
    config.setdefault("execute", {})["cache"] = str((book / "_build" / ".jupyter_cache").resolve())
    sphinx = config.setdefault("sphinx", {})
    extensions = {name: str((book / path).resolve())
                  for name, path in (sphinx.get("local_extensions") or {}).items()}
    extensions["pdf_edition"] = str(ROOT)
    sphinx["local_extensions"] = extensions
    return config


def root_page(book: Path) -> str:
    """The root document's page, as named in _toc.yml (book/index.html)."""
    import yaml

    return yaml.safe_load((book / "_toc.yml").read_text(encoding="utf-8"))["root"] + ".html"


def build_single_page(book: Path) -> Path:
    """Build the book as one HTML page (strictly, as the website); return its path."""
    import yaml

    folder = book / "_build" / "pdf"
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / "_config.yml"
    config.write_text(yaml.safe_dump(single_page_config(book), sort_keys=False),
                      encoding="utf-8")
    # The jupyter-book beside this Python (bin/, or Scripts/jupyter-book.exe on Windows).
    jupyter_book = shutil.which("jupyter-book", path=str(Path(sys.executable).parent))
    if jupyter_book is None:
        raise PdfError(f"no jupyter-book beside {sys.executable}: run this with the book's "
                       ".venv (python3.11 tasks.py pdf does)")
    command = [jupyter_book, "build", str(book), "--builder", "singlehtml",
               "--config", str(config), "--path-output", str(folder), *STRICT_BUILD_OPTIONS]
    result = subprocess.run(command, cwd=book, capture_output=True, text=True)
    if result.returncode != 0:
        raise PdfError("the single-page build failed:\n"
                       + (result.stdout + result.stderr)[-6000:])
    site = folder / "_build" / "singlehtml"
    written = site / root_page(book)
    if not written.exists():
        raise PdfError(f"the single-page build wrote no {written}")
    # Sphinx writes the page under the root document's name (book/index.html) but makes
    # its links relative to the output folder, so it only works from there.
    page = site / "index.html"
    if written != page:
        shutil.copyfile(written, page)
    return page


# --------------------------------------------------------------------------
# Step 2: the page made fit to print
# --------------------------------------------------------------------------

PRINT_CSS = """
html { font-size: 10.5pt; }
body { background: white !important; }
/* No website furniture on paper. */
.bd-header, .bd-header-article, .bd-sidebar-primary, .bd-sidebar-secondary, .bd-footer,
.bd-footer-article, .bd-footer-content, .prev-next-area, .headerlink, button.copybtn,
.toggle-button, #searchbox, .search-button-field, .theme-switch-button, #jb-print-docs-body,
.anim-controls, details > summary { display: none !important; }
.bd-main .bd-content, .bd-main .bd-content .bd-article { margin: 0 !important; padding: 0 !important; }
.bd-page-width, .bd-container, .bd-article-container { max-width: none !important; width: 100% !important; }
/* The theme hides each page's first h1 in print (its own title block replaced it). */
.bd-main .bd-content .bd-article h1:first-of-type { display: block !important; }
/* Each chapter and reader page starts on a new sheet; a heading stays whole, with what follows. */
.pdf-document { break-before: page; }
h1, h2, h3, h4, h5, h6 { break-inside: avoid; break-after: avoid; }
/* Code and outputs wrap instead of running off the page. */
pre, .highlight pre, div.cell_output pre { white-space: pre-wrap !important;
  overflow-wrap: anywhere; overflow: visible !important; max-height: none !important;
  font-size: 8.5pt; }
div.cell_output, div.cell_input, .output { overflow: visible !important; max-height: none !important; }
/* A code cell's framed box moves whole to the next sheet (a longer one breaks as it must);
   the theme's flex box inside it would leave an empty frame at the foot of a sheet. */
div.cell_input, div.cell_output { break-inside: avoid; }
div.highlight { display: block !important; }
/* Figures fit the page and are not cut in two. */
img { max-width: 100% !important; height: auto; break-inside: avoid; }
figure, .pdf-frames { break-inside: avoid; }
/* Folded content (hints, the teacher's solutions) is printed open. */
.toggle-hidden, .dropdown .admonition-title ~ * { display: block !important;
  visibility: visible !important; opacity: 1 !important; height: auto !important; }
/* The animation's still frames, side by side. */
.pdf-frames { display: flex; gap: 4mm; justify-content: center; margin: 1em 0; }
.pdf-frames figure { margin: 0; text-align: center; width: 31%; }
.pdf-frames img { width: 100%; border: 1px solid #ccc; }
.pdf-frames figcaption { font-size: 8.5pt; color: #444; }
/* Title and contents. */
.pdf-title { text-align: center; margin: 25mm 0 15mm 0; }
.pdf-title h1 { font-size: 26pt !important; margin-bottom: 6mm; }
.pdf-title p { font-size: 12pt; color: #333; }
.pdf-contents ul { list-style: none !important; padding-left: 1em; margin: 0 0 1em 0; }
.pdf-contents li { display: flex !important; align-items: baseline; margin: 0.2em 0; }
.pdf-contents a { text-decoration: none; color: #000 !important; }
.pdf-contents li::after { content: ""; order: 1; flex: 1; border-bottom: 1px dotted #999; margin: 0 0.4em; }
.pdf-contents .pdf-page { order: 2; }
.pdf-contents .caption { font-weight: 600; margin: 0.8em 0 0.2em 0; }
"""

# Runs in the page once, before printing: puts the book in reading order, makes the title
# page and contents, turns each animation into still frames. Returns what it found.
PREPARE_JS = """(frameCount) => {
  const article = document.querySelector('article.bd-article');
  const root = article.querySelector(':scope > section');
  const report = {animations: 0, frames: 0, problems: []};
  const clean = text => text.replace(/\\s+/g, ' ').replace(/#$/, '').trim();

  // Every page of the book is a section after a <span id="document-NAME">.
  const documents = [...article.querySelectorAll('span[id^="document-"]')]
    .map(span => [span.id.slice('document-'.length), span.nextElementSibling])
    .filter(([, section]) => section && section.tagName === 'SECTION');
  for (const [name, section] of documents) {
    section.classList.add('pdf-document');
    section.dataset.document = name;
    section.prepend(section.previousElementSibling);   // links to the page land on its sheet
  }

  // singlehtml puts the pages where the home page's contents are, before the rest of the
  // home page: the pages go after it, and the contents take their place.
  const wrappers = [...article.querySelectorAll('.toctree-wrapper')]
    .filter(w => !w.parentElement.closest('.toctree-wrapper'));
  const place = document.createElement('div');
  if (wrappers.length) wrappers[0].before(place);
  wrappers.forEach(w => article.appendChild(w));

  // Each page's headings start at h1 again (singlehtml nested them under the home page),
  // so that the PDF outline has one top-level entry per page.
  const levelOf = el => Number(el.tagName[1]);
  const shifts = new Map();
  for (const [, section] of documents) {
    const first = section.querySelector('h1, h2, h3, h4, h5, h6');
    shifts.set(section, first ? levelOf(first) - 1 : 0);
  }
  for (const heading of [...article.querySelectorAll('h1, h2, h3, h4, h5, h6')]) {
    const owner = heading.closest('.pdf-document');
    const shift = owner ? shifts.get(owner) : 0;
    if (!shift) continue;
    const renamed = document.createElement('h' + Math.max(1, levelOf(heading) - shift));
    for (const attribute of heading.attributes) renamed.setAttribute(attribute.name, attribute.value);
    renamed.append(...heading.childNodes);
    heading.replaceWith(renamed);
  }

  // The title page: the book's title, then which edition it is (set when printing it).
  const bookTitle = root.querySelector('h1');
  const title = document.createElement('div');
  title.className = 'pdf-title';
  title.innerHTML = '<h1></h1><p class="pdf-edition"></p>';
  title.querySelector('h1').textContent = clean(bookTitle.textContent);
  bookTitle.replaceWith(title);

  // The contents: the theme's print table of contents, as links to each page.
  const contents = document.querySelector('#jb-print-toc nav');
  if (contents && wrappers.length) {
    contents.className = 'pdf-contents';
    contents.removeAttribute('aria-label');
    contents.querySelectorAll('[role="heading"]').forEach(caption => {
      caption.removeAttribute('role');        // captions, not headings: not in the outline
      caption.removeAttribute('aria-level');
    });
    // The home page's heading over its contents ("Chapters") may repeat the first caption.
    const over = place.closest('section') && place.closest('section').querySelector(':scope > h2');
    const first = contents.querySelector('.caption');
    if (over && first && clean(over.textContent) === clean(first.textContent)) first.remove();
    place.replaceWith(contents);
  } else {
    report.problems.push('no table of contents to print');
  }

  // A link to another place of the book jumps there in the PDF. singlehtml keeps each
  // page's own ids, so some repeat ("id2" on several pages): a citation goes to the
  // bibliography's entry, another link to its own page's element, and the target gets an
  // id of its own. A link to a file of the website (a download) would lead nowhere from a
  // PDF: it stays as text.
  const byId = new Map();
  for (const element of article.querySelectorAll('[id]')) {
    if (!byId.has(element.id)) byId.set(element.id, []);
    byId.get(element.id).push(element);
  }
  const pageOf = element => (element.closest('.pdf-document') || {dataset: {}}).dataset.document || '';
  report.unlinked = 0;
  for (const link of article.querySelectorAll('a[href]')) {
    const url = new URL(link.getAttribute('href'), location.href);
    if (url.origin !== location.origin) continue;
    const candidates = url.hash ? byId.get(decodeURIComponent(url.hash.slice(1))) || [] : [];
    let target = candidates[0];
    if (candidates.length > 1) {
      target = (link.closest('.bibtex-citation')
                && candidates.find(c => c.matches('.citation, [role="doc-biblioentry"]')))
        || candidates.find(c => pageOf(c) === pageOf(link)) || candidates[0];
      if (!target.dataset.pdfUnique) {
        target.id = `${pageOf(target)}--${target.id}`;
        target.dataset.pdfUnique = 'yes';
      }
    }
    if (target) {
      link.setAttribute('href', '#' + target.id);
    } else {
      link.removeAttribute('href');
      report.unlinked += 1;
    }
  }

  // Folded content prints open.
  article.querySelectorAll('details').forEach(d => { d.open = true; });

  // A Matplotlib animation (to_jshtml) becomes a strip of still frames, first to last.
  for (const box of [...article.querySelectorAll('div.animation')]) {
    const image = box.querySelector('img[id^="_anim_img"]');
    const player = image && window['anim' + image.id.slice('_anim_img'.length)];
    if (!player || !player.frames || !player.frames.length) {
      report.problems.push('an animation whose frames could not be read');
      continue;
    }
    player.pause_animation();
    const total = player.frames.length, count = Math.min(frameCount, total);
    const picks = [...new Set(Array.from({length: count},
      (_, k) => Math.round(k * (total - 1) / Math.max(1, count - 1))))];
    const strip = document.createElement('div');
    strip.className = 'pdf-frames';
    for (const index of picks) {
      const figure = document.createElement('figure');
      const still = document.createElement('img');
      still.src = player.frames[index].src;
      still.alt = `Frame ${index + 1} of ${total}. ${image.alt}`;
      const caption = document.createElement('figcaption');
      caption.textContent = `Frame ${index + 1} of ${total}`;
      figure.append(still, caption);
      strip.append(figure);
    }
    box.replaceWith(strip);
    report.animations += 1;
    report.frames += picks.length;
  }

  report.maths = article.querySelectorAll('span.math, div.math').length;
  report.typeset = article.querySelectorAll('mjx-container').length;
  report.untypeset = [...article.querySelectorAll('span.math, div.math')]
    .filter(n => !n.querySelector('mjx-container')).length;
  report.mathjaxErrors = [...article.querySelectorAll('mjx-merror')].map(n => n.textContent);
  return report;
}"""

# The student edition: the solution boxes go, and links that led into them become text.
DROP_SOLUTIONS_JS = """() => {
  const article = document.querySelector('article.bd-article');
  const solutions = [...article.querySelectorAll('div.solution')];
  solutions.forEach(box => box.remove());
  for (const link of article.querySelectorAll('a[href^="#"]')) {
    if (!document.getElementById(decodeURIComponent(link.getAttribute('href').slice(1)))) {
      link.removeAttribute('href');
    }
  }
  return solutions.length;
}"""

# Under the print styles: the headings as the PDF outline should list them (level, title
# with its maths as plain text, the book page it opens, if it does), and the pictures.
CONTENT_JS = """() => {
  const tex = new Map();
  for (const item of MathJax.startup.document.getMathItemsWithin(document.body)) {
    tex.set(item.typesetRoot, item.math);
  }
  const digits = '₀₁₂₃₄₅₆₇₈₉';
  const plain = source => source.replace(/\\\\(?:text|mathrm|operatorname)\\{([^}]*)\\}/g, '$1')
    .replace(/_\\{?(\\d)\\}?/g, (_, d) => digits[d]).replace(/\\\\([A-Za-z]+)/g, '$1')
    .replace(/[{}]/g, '');
  const headings = [];
  for (const heading of document.querySelectorAll('article.bd-article :is(h1, h2, h3, h4, h5, h6)')) {
    if (!heading.getClientRects().length
        || getComputedStyle(heading).visibility !== 'visible') continue;   // not printed
    const copy = heading.cloneNode(true);
    copy.querySelectorAll('.headerlink').forEach(n => n.remove());
    const originals = heading.querySelectorAll('mjx-container');
    copy.querySelectorAll('mjx-container').forEach((n, k) =>
      n.replaceWith(plain(tex.get(originals[k]) || '')));
    const owner = heading.closest('.pdf-document');
    const opens = owner && owner.querySelector(':is(h1, h2, h3, h4, h5, h6)') === heading;
    headings.push({level: Number(heading.tagName[1]),
                   title: copy.textContent.replace(/\\s+/g, ' ').trim(),
                   document: opens ? owner.dataset.document : null});
  }
  const article = document.querySelector('article.bd-article');
  // Distinct pictures: Chromium embeds an image once however often it is shown.
  const images = new Set([...article.querySelectorAll('img')].map(image => image.currentSrc));
  return {headings, images: images.size,
          frames: article.querySelectorAll('.pdf-frames img').length};
}"""

# Writes each page's first page number beside its entry in the contents.
PAGE_NUMBERS_JS = """(pages) => {
  for (const link of document.querySelectorAll('.pdf-contents a[href^="#document-"]')) {
    const name = decodeURIComponent(link.getAttribute('href').slice('#document-'.length));
    let number = link.parentElement.querySelector(':scope > .pdf-page');
    if (!number) {
      number = document.createElement('span');
      number.className = 'pdf-page';
      link.after(number);
    }
    number.textContent = name in pages ? String(pages[name]) : '';
  }
}"""

# Turns on or off a style that leaves the book's pages unpainted (their layout unchanged).
MEASURING = """(on) => {
  document.getElementById('pdf-measuring')?.remove();
  if (on) {
    const style = document.createElement('style');
    style.id = 'pdf-measuring';
    style.textContent = '.pdf-document { visibility: hidden !important; }';
    document.head.append(style);
  }
}"""

FOOTER = ('<div style="font-size: 8pt; width: 100%; margin: 0 15mm; color: #555; '
          'display: flex; justify-content: space-between;"><span>{title}</span>'
          '<span><span class="pageNumber"></span> / <span class="totalPages"></span></span></div>')
PDF_OPTIONS = {"format": "A4", "print_background": True, "display_header_footer": True,
               "header_template": "<span></span>",
               "margin": {"top": "16mm", "bottom": "18mm", "left": "15mm", "right": "15mm"}}


@contextlib.contextmanager
def served(folder: Path):
    """``folder`` served on an ephemeral port of 127.0.0.1; yields the base URL."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def open_book(browser, url: str):
    """Open the single page at ``url`` and make it fit to print; return (page, report).

    Raises PdfError when a formula is left untypeset, MathJax reports an error, or a
    request fails or leaves 127.0.0.1: a PDF with raw TeX or a missing figure is worse
    than no PDF.
    """
    from urllib.parse import urlparse

    page = browser.new_page(color_scheme="light")
    problems: list[str] = []
    ours = urlparse(url).netloc

    def on_request(request):
        parsed = urlparse(request.url)
        if parsed.scheme not in ("data", "blob", "about") and parsed.netloc != ours:
            problems.append(f"request to another host: {request.url}")

    page.on("request", on_request)
    page.on("requestfailed", lambda r: problems.append(f"failed request: {r.url}"))
    page.on("response", lambda r: r.status >= 400 and problems.append(
        f"HTTP {r.status} for {r.url}"))
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    # The theme's search asks for an index that the single-page builder does not write.
    page.route("**/searchindex.js", lambda route: route.fulfill(
        status=200, content_type="text/javascript", body=""))
    page.goto(url, wait_until="networkidle", timeout=300_000)
    # MathJax typesets once at start-up; its promise settles when every formula is done.
    page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise",
                           timeout=120_000)
    page.evaluate("() => MathJax.startup.promise")
    report = page.evaluate(PREPARE_JS, FRAMES_PER_ANIMATION)
    page.add_style_tag(content=PRINT_CSS)
    page.emulate_media(media="print")
    # The frames and figures are data: or local images; wait until each has decoded.
    page.wait_for_function("() => [...document.images].every(i => i.complete)",
                           timeout=120_000)
    problems += report.pop("problems")
    if report["untypeset"]:
        problems.append(f"{report['untypeset']} of {report['maths']} formulas not typeset")
    problems += [f"MathJax error: {text}" for text in report["mathjaxErrors"]]
    if problems:
        page.close()
        raise PdfError("the book's page is not fit to print:\n  " + "\n  ".join(problems))
    return page, report


# --------------------------------------------------------------------------
# Step 3: print, and title the outline
# --------------------------------------------------------------------------

def read_pdf(pdf: bytes):
    from pypdf import PdfReader

    # Chromium's trailer undercounts its objects; pypdf reads the file right and says so.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    return PdfReader(io.BytesIO(pdf))


def document_pages(pdf: bytes) -> dict[str, int]:
    """The page (from 1) on which each of the book's pages starts, by document name.

    The contents link to each page, so Chromium gives each a named destination.
    """
    reader = read_pdf(pdf)
    return {name[len("/document-"):]: reader.get_destination_page_number(destination) + 1
            for name, destination in reader.named_destinations.items()
            if name.startswith("/document-")}


def chromium_outline(reader) -> list[tuple[str, int, object]]:
    """Chromium's outline, flattened: (title, page index, destination), in order."""
    flat = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                flat.append((item.title, reader.get_destination_page_number(item), item))

    walk(reader.outline)
    return flat


def with_outline(pdf: bytes, headings: list[dict]) -> bytes:
    """``pdf`` (tagged, with Chromium's outline) with an outline titled from ``headings``.

    Chromium builds the outline from the printed text, which drops the space where a
    heading wraps ("lookupcosts") and the maths ("One-hot times  selects a row"), and can
    repeat a heading that starts a sheet. Its entries, one per printed heading in order,
    point at the right places: those places are kept, with the page's own titles and
    levels. The new outline is appended as an incremental update (new objects, a new
    catalogue, a cross-reference section for them), which leaves Chromium's bytes as
    they are and takes a fraction of a second where rewriting the file takes many.
    """
    import re

    from pypdf.generic import (ArrayObject, DictionaryObject, FloatObject, IndirectObject,
                               NameObject, NullObject, NumberObject, TextStringObject)

    reader = read_pdf(pdf)
    entries = chromium_outline(reader)
    if len(entries) != len(headings):
        raise PdfError(f"Chromium's PDF outline has {len(entries)} entries for the page's "
                       f"{len(headings)} headings:\n"
                       + "\n".join(f"  {title!r}" for title, _, _ in entries[:300]))
    # The tree, by heading level: each node is [heading, page index, destination, children].
    root: list = [None, None, None, []]
    open_nodes = [(0, root)]
    for heading, (_, page, destination) in zip(headings, entries):
        while open_nodes[-1][0] >= heading["level"]:
            open_nodes.pop()
        node = [heading, page, destination, []]
        open_nodes[-1][1][3].append(node)
        open_nodes.append((heading["level"], node))
    # New objects are numbered after every object of the file: after the highest number
    # in its cross-references and after its trailer's /Size (Chromium's counts fewer
    # objects than it writes; an update's own xref stream is listed only there).
    used = [number for numbers in reader.xref.values() for number in numbers]
    next_number = max(used + list(reader.xref_objStm) + [int(reader.trailer["/Size"]) - 1]) + 1
    numbers: dict[int, int] = {}

    def number(node) -> int:
        if id(node) not in numbers:
            numbers[id(node)] = next_number + len(numbers)
        return numbers[id(node)]

    def ref(node) -> IndirectObject:
        return IndirectObject(number(node), 0, None)

    objects: dict[int, DictionaryObject] = {}

    def describe(node, parent) -> None:
        children = node[3]
        item = DictionaryObject()
        if children:
            item[NameObject("/First")], item[NameObject("/Last")] = ref(children[0]), ref(children[-1])
        if parent is None:                           # the outline's root: chapters shown
            item[NameObject("/Type")] = NameObject("/Outlines")
            item[NameObject("/Count")] = NumberObject(len(children))
        else:                                        # an entry: its sections folded
            siblings = parent[3]
            at = next(k for k, sibling in enumerate(siblings) if sibling is node)
            item[NameObject("/Title")] = TextStringObject(node[0]["title"])
            item[NameObject("/Parent")] = ref(parent)
            if at > 0:
                item[NameObject("/Prev")] = ref(siblings[at - 1])
            if at < len(siblings) - 1:
                item[NameObject("/Next")] = ref(siblings[at + 1])
            if children:
                item[NameObject("/Count")] = NumberObject(-len(children))
            left, top = node[2].get("/Left"), node[2].get("/Top")
            item[NameObject("/Dest")] = ArrayObject([
                reader.pages[node[1]].indirect_reference, NameObject("/XYZ"),
                NullObject() if left is None else FloatObject(left),
                NullObject() if top is None else FloatObject(top), NullObject()])
        objects[number(node)] = item
        for child in children:
            describe(child, node)

    describe(root, None)
    catalogue_reference = reader.trailer.raw_get("/Root")
    catalogue = DictionaryObject(reader.trailer["/Root"].get_object())
    catalogue[NameObject("/Outlines")] = ref(root)
    catalogue[NameObject("/PageMode")] = NameObject("/UseOutlines")   # opens with bookmarks
    objects[catalogue_reference.idnum] = catalogue

    previous = re.search(rb"startxref\s+(\d+)\s+%%EOF\s*$", pdf)
    if previous is None:
        raise PdfError("Chromium's PDF does not end as a PDF should (no startxref)")
    out = io.BytesIO()
    out.write(pdf if pdf.endswith(b"\n") else pdf + b"\n")
    offsets = {}
    for object_number, item in sorted(objects.items()):
        offsets[object_number] = out.tell()
        out.write(f"{object_number} 0 obj\n".encode())
        item.write_to_stream(out)
        out.write(b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n")
    for object_number, offset in sorted(offsets.items()):
        out.write(f"{object_number} 1\n{offset:010d} 00000 n\r\n".encode())
    trailer = DictionaryObject({key: value for key, value in reader.trailer.items()
                                if key not in ("/Size", "/Prev", "/XRefStm")})
    trailer[NameObject("/Root")] = catalogue_reference
    trailer[NameObject("/Size")] = NumberObject(max(objects) + 1)
    trailer[NameObject("/Prev")] = NumberObject(int(previous.group(1)))
    out.write(b"trailer\n")
    trailer.write_to_stream(out)
    out.write(f"\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def print_edition(page, edition: str, pdf: Path, title: str) -> dict:
    """Print the prepared ``page`` as ``edition`` to ``pdf``; return what was printed."""
    started = time.perf_counter()
    removed = page.evaluate(DROP_SOLUTIONS_JS) if edition == "student" else 0
    page.evaluate("note => { document.querySelector('.pdf-title .pdf-edition')"
                  ".textContent = note; }", EDITION_NOTES[edition])
    content = page.evaluate(CONTENT_JS)
    footer = FOOTER.format(title=html.escape(f"{title} ({edition} edition)"))
    # A quick print tells where each chapter starts: the same layout with the chapters
    # left unpainted (visibility: hidden keeps every box), untagged. The contents get those
    # numbers, and the tagged print (for the outline and screen readers) must agree.
    page.evaluate(MEASURING, True)
    numbers = document_pages(page.pdf(footer_template=footer, **PDF_OPTIONS))
    page.evaluate(MEASURING, False)
    for _ in range(3):
        page.evaluate(PAGE_NUMBERS_JS, numbers)
        printed = page.pdf(footer_template=footer, tagged=True, outline=True, **PDF_OPTIONS)
        printed_numbers = document_pages(printed)
        if printed_numbers == numbers:
            break
        numbers = printed_numbers
    else:
        raise PdfError("the contents' page numbers do not settle")
    printed = with_outline(printed, content["headings"])
    pdf.parent.mkdir(parents=True, exist_ok=True)
    pdf.write_bytes(printed)
    return {**content, "pdf": pdf, "solutions_removed": removed, "document_pages": numbers,
            "page_count": len(read_pdf(printed).pages),
            "print_seconds": time.perf_counter() - started}


def write_pdfs(book: Path = ROOT, destination: Path | None = None,
               editions: tuple[str, ...] = EDITIONS) -> dict[str, dict]:
    """Build the single page and print each edition; return, per edition, what was printed.

    Build the website first (``tasks.py pdf`` does): its execution cache is what spares
    the chapters a second run.
    """
    import yaml
    from playwright.sync_api import sync_playwright

    unknown = set(editions) - set(EDITIONS)
    if unknown or not editions:
        raise ValueError(f"editions must be some of {EDITIONS}, not {editions!r}")
    destination = destination or book / "_build" / "pdf"
    chromium = find_chromium()
    title = yaml.safe_load((book / "_config.yml").read_text(encoding="utf-8"))["title"]
    started = time.perf_counter()
    single_page = build_single_page(book)
    build_seconds = time.perf_counter() - started
    results = {}
    with sync_playwright() as playwright, served(single_page.parent) as base:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            started = time.perf_counter()
            page, report = open_book(browser, f"{base}/{single_page.name}")
            report.update(html=single_page, build_seconds=build_seconds,
                          open_seconds=time.perf_counter() - started)
            # The teacher edition first: the student's is the same page with less on it.
            for edition in sorted(editions, key=lambda e: e != "teacher"):
                pdf = destination / PDF_NAME.format(edition=edition)
                results[edition] = {**report, **print_edition(page, edition, pdf, title)}
        finally:
            browser.close()
    return {edition: results[edition] for edition in editions}


# --------------------------------------------------------------------------
# The Sphinx side: loaded by the single-page build only
# --------------------------------------------------------------------------

def share_html_handlers(app) -> None:
    """Give the singlehtml builder the HTML handlers of every node.

    Sphinx looks a node's handlers up by builder name and falls back on the format
    ("html") only when no extension registered any for that name. sphinx-exercise
    registers some for "singlehtml", so MyST-NB's folded cells, and every other node
    registered for "html" alone, stop the build with "unknown node type".
    """
    if app.builder.name != "singlehtml":
        return
    handlers = app.registry.translation_handlers
    single = handlers.setdefault("singlehtml", {})
    for name, pair in handlers.get("html", {}).items():
        single.setdefault(name, pair)


def setup(app):
    app.connect("builder-inited", share_html_handlers)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


# --------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------

def copy_into_site(pdfs: list[Path], book: Path) -> Path | None:
    """Copy the PDFs into the built website (_build/html/pdf/), where its home page links."""
    site = book / "_build" / "html"
    if not site.is_dir():
        return None
    folder = site / SITE_FOLDER
    folder.mkdir(exist_ok=True)
    for pdf in pdfs:
        shutil.copy(pdf, folder / pdf.name)
    return folder


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(
        prog="tasks.py pdf",
        description="Write the book as one PDF per edition (student: without the solutions; "
                    "teacher: with them), from the website's execution cache, printed by "
                    "the system's Chromium, and copy them into the built website.")
    parser.add_argument("--edition", choices=EDITIONS, action="append",
                        help="write only this edition (default: both)")
    parser.add_argument("--book", type=Path, default=ROOT,
                        help="the Jupyter Book folder, its website built (default: this "
                             "repository)")
    args = parser.parse_args(argv)
    book = args.book.resolve()
    started = time.perf_counter()
    try:
        results = write_pdfs(book, editions=tuple(dict.fromkeys(args.edition or EDITIONS)))
    except PdfError as error:
        sys.exit(f"No PDF: {error}")
    first = next(iter(results.values()))
    print(f"Single page built in {first['build_seconds']:.0f} s, opened and typeset in "
          f"{first['open_seconds']:.0f} s.")
    for edition, result in results.items():
        print(f"{edition} edition: {result['pdf']} ({result['page_count']} pages, printed "
              f"in {result['print_seconds']:.0f} s)")
    folder = copy_into_site([r["pdf"] for r in results.values()], book)
    if folder:
        print(f"Copied into the website: {folder} (the home page links there).")
    print(f"PDFs written in {time.perf_counter() - started:.0f} s.")


if __name__ == "__main__":
    main(sys.argv[1:])
