"""The PDF editions (pdf_edition.py), printed once per session after the strict build.

They are printed as `tasks.py pdf` prints them, from the build's execution cache, with the
system's Chromium. Their structure (pages, outline, links, images) is read with pypdf,
their text with pdftotext (Debian's poppler-utils: fast, and faithful to the printed
text). In CI (CI=true) a missing Chromium or pdftotext fails these tests; elsewhere
they skip with a message that says how to install them.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

import pdf_edition
import session_runs
from conftest import ROOT, source_path, toc_files

# On one worker of a parallel session: its fixture reads and parses both PDFs once.
pytestmark = pytest.mark.xdist_group("pdf")

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
EDITIONS = pdf_edition.EDITIONS
POPPLER_HINT = ("install poppler-utils to read the PDFs' text: `sudo apt-get install "
                "poppler-utils` on Debian/Ubuntu")
# Markers of TeX source: none may reach the printed page, where MathJax draws maths.
TEX_MARKERS = re.compile(r"\$\$|\\(frac|begin|end|operatorname|mathbb|mathrm|text|sum|"
                         r"partial|sigma|cdot|times|top|hat|tilde|odot|lVert|rVert)\b")


def require(found, hint: str):
    if not found:
        if IN_CI:
            pytest.fail(f"CI must run the PDF tests: {hint}", pytrace=False)
        pytest.skip(hint)
    return found


def normal(text: str) -> str:
    """Text compared as read: ligatures (ﬁ) undone, every run of spaces one space."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


def words(text: str) -> str:
    """Only the words, in order: how prose is compared with a PDF's text, where a tall
    formula's bracket glyph or a line break can land between two words of a sentence, and
    where pdftotext joins a word broken at its hyphen ("five-dimensional" at a line end
    reads "fivedimensional"): hyphenated words are compared joined."""
    text = re.sub(r"(?<=\w)-\s*(?=\w)", "", unicodedata.normalize("NFKC", text))
    return " ".join(re.findall(r"\w+", text))


def pdf_pages_text(pdf: Path, raw: bool = False) -> list[str]:
    """The text of each page as pdftotext reads it, without the running footer.

    ``raw``: in the order it was drawn, not as laid out, which is how prose is compared:
    laid out, a tall formula's root sign can land between two words of a sentence.
    """
    pdftotext = require(shutil.which("pdftotext"), POPPLER_HINT)
    result = subprocess.run([pdftotext, *(["-raw"] if raw else []), "-enc", "UTF-8", str(pdf),
                             "-"], capture_output=True, text=True, check=True)
    footer = re.compile(r"^(.* \((student|teacher) edition\)|\d+ / \d+)$", re.MULTILINE)
    return [footer.sub("", page) for page in result.stdout.split("\f")[:-1]]


def read(pdf: Path):
    import logging

    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)   # Chromium's trailer undercounts
    return PdfReader(pdf)


def outline_top(reader) -> list[tuple[str, int]]:
    """The outline's top-level entries: (title, page from 1)."""
    return [(item.title, reader.get_destination_page_number(item) + 1)
            for item in reader.outline if not isinstance(item, list)]


def image_count(reader) -> int:
    """Image XObjects drawn on the pages (in forms too), without decoding any."""
    seen: set = set()

    def images_in(resources) -> int:
        objects = (resources or {}).get("/XObject")
        count = 0
        for reference in (objects.get_object() if objects else {}).values():
            key = getattr(reference, "idnum", id(reference))
            xobject = reference.get_object()
            if xobject.get("/Subtype") == "/Image" and key not in seen:
                seen.add(key)
                count += 1
            elif xobject.get("/Subtype") == "/Form":
                count += images_in(xobject.get("/Resources"))
        return count

    return sum(images_in(page.get("/Resources")) for page in reader.pages)


def internal_links(reader) -> list[tuple[int, str]]:
    """Every link to a place of the document: (page from 1, named destination)."""
    links = []
    for number, page in enumerate(reader.pages, 1):
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            if annotation.get("/Subtype") == "/Link" and "/Dest" in annotation:
                links.append((number, str(annotation["/Dest"])))
    return links


def page_title(entry: str) -> str:
    """A page's first heading, from its source: what the PDF must show for it."""
    for line in source_path(entry).read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            return line[2:].replace("`", "").strip()
    raise AssertionError(f"{entry} has no level-1 heading")


def printed_page(result: dict):
    """The single HTML page both editions were printed from (as built, before the browser
    rearranged it), parsed once: read it, do not change it."""
    return parsed(result["html"])


@functools.lru_cache(maxsize=2)
def parsed(path: Path):
    from bs4 import BeautifulSoup

    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@pytest.fixture(scope="session")
def pdfs(built_site) -> dict[str, dict]:
    """Both editions, printed once (after the strict build, so nothing runs again)."""
    try:
        pdf_edition.find_chromium()
    except pdf_edition.PdfError as error:
        require(None, str(error))
    require(shutil.which("pdftotext"), POPPLER_HINT)
    folder = session_runs.shared_folder()         # printed by the session's controller
    if folder:
        printed = session_runs.wait_for(folder / "pdfs.pickle")
        if "error" in printed:
            pytest.fail(printed["error"], pytrace=False)
        results = printed["ok"]
    else:
        try:
            results = session_runs.print_pdfs()
        except pdf_edition.PdfError as error:
            pytest.fail(str(error), pytrace=False)
    for result in results.values():
        result["reader"] = read(result["pdf"])
        result["pages_text"] = pdf_pages_text(result["pdf"])
        result["all_text"] = normal(" ".join(result["pages_text"]))
        result["words"] = words(" ".join(pdf_pages_text(result["pdf"], raw=True)))
    return results


@pytest.mark.parametrize("edition", EDITIONS)
def test_every_page_of_the_book_is_there_in_order_with_bookmarks(pdfs, edition):
    result = pdfs[edition]
    entries = toc_files()
    # Every page of _toc.yml follows the home page, in the order of _toc.yml,
    assert [h["document"] for h in result["headings"] if h["document"]] == entries[1:]
    # with its title printed and as a top-level bookmark, on increasing pages.
    titles = [page_title(entry) for entry in entries]
    top = outline_top(result["reader"])
    assert [title for title, _ in top] == titles, "the outline's top level is not the book's pages"
    pages = [page for _, page in top]
    assert pages[0] == 1 and pages == sorted(pages), f"pages out of order: {top}"
    for title in titles:
        assert normal(title) in result["all_text"], f"{title!r} is not in the {edition} PDF"


@pytest.mark.parametrize("edition", EDITIONS)
def test_contents_give_each_page_its_number_and_a_working_link(pdfs, edition):
    result = pdfs[edition]
    reader = result["reader"]
    starts = dict(zip(toc_files()[1:], [page for _, page in outline_top(reader)[1:]]))
    assert result["document_pages"] == starts
    destinations = {name: reader.get_destination_page_number(d) + 1
                    for name, d in reader.named_destinations.items()}
    # The first page that links each document: later pages (chapter 7's "see chapter 1")
    # link chapters too.
    contents_links = {}
    for page, dest in internal_links(reader):
        if dest.startswith("/document-"):
            contents_links.setdefault(dest, page)
    contents_text = normal(" ".join(result["pages_text"][:3]))
    for entry, page in starts.items():
        name = f"/document-{entry}"
        assert name in contents_links and contents_links[name] <= 3, \
            f"the contents have no link to {entry}"
        assert destinations[name] == page, f"the link to {entry} lands on the wrong page"
        assert re.search(re.escape(normal(page_title(entry))) + rf" {page}\b", contents_text), \
            f"the contents do not say that {entry} starts on page {page}"


@pytest.mark.parametrize("edition", EDITIONS)
def test_links_stay_inside_the_pdf_or_go_to_the_web(pdfs, edition):
    reader = pdfs[edition]["reader"]
    destinations = set(reader.named_destinations)
    links = internal_links(reader)
    assert len(links) > len(toc_files()), "too few links: the contents and cross-references?"
    dangling = [(page, dest) for page, dest in links if dest not in destinations]
    assert not dangling, dangling
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A") or {}
            uri = str(action.get("/URI", ""))
            assert "127.0.0.1" not in uri and "localhost" not in uri, uri


@pytest.mark.parametrize("edition", EDITIONS)
def test_maths_is_typeset_and_no_tex_is_printed(pdfs, edition):
    result = pdfs[edition]
    # Before printing: every formula of the page typeset by MathJax, without an error.
    assert result["maths"] > 100, "the book's maths did not reach the page"
    assert result["typeset"] >= result["maths"] and result["untypeset"] == 0
    assert not result["mathjaxErrors"]
    # In the PDF: no TeX source, except what code cells print as code.
    in_code = Counter(marker.group(0) for cell in printed_page(result).select("div.cell")
                      for text in cell.find_all(string=True)
                      if not text.find_parent(class_="math")
                      for marker in TEX_MARKERS.finditer(text))
    in_pdf = Counter(marker.group(0) for marker in TEX_MARKERS.finditer(result["all_text"]))
    assert not in_pdf - in_code, f"TeX source printed in the {edition} PDF: {in_pdf - in_code}"


@pytest.mark.parametrize("edition", EDITIONS)
def test_figures_and_animation_frames_are_embedded(pdfs, edition, built_site):
    result = pdfs[edition]
    animations = sum(page.read_text(encoding="utf-8").count('<div class="animation">')
                     for page in (built_site / "book").glob("*.html"))
    assert result["animations"] == animations
    assert result["frames"] == pdf_edition.FRAMES_PER_ANIMATION * animations, \
        "an animation did not print its still frames"
    assert result["images"] >= 5, "the page held almost no figures"
    assert image_count(result["reader"]) >= result["images"], \
        "fewer images in the PDF than distinct pictures on the page"


@pytest.mark.parametrize("edition", EDITIONS)
def test_page_count_fits_the_text(pdfs, edition):
    """A layout gone wrong shows in the pages: text cut off or squeezed (too dense), or
    one word per line or a figure per sheet (too sparse)."""
    result = pdfs[edition]
    pages = len(result["reader"].pages)
    per_page = len(result["all_text"]) / pages
    assert len(toc_files()) <= pages <= 600
    assert 900 <= per_page <= 3500, f"{pages} pages, {per_page:.0f} characters per page"


def prose_runs(element) -> list[str]:
    """Runs of prose in ``element``'s paragraphs, long enough to look for in a PDF, cut
    where maths or inline code sits (the PDF draws those, the HTML holds their source)."""
    from bs4 import NavigableString

    runs: list[str] = []
    for paragraph in element.select("p:not(.admonition-title)"):
        current: list[str] = []
        for piece in paragraph.descendants:
            if not isinstance(piece, NavigableString):
                continue
            if piece.find_parent("code") or piece.find_parent(class_="math"):
                runs.append("".join(current))
                current = []
            else:
                current.append(str(piece))      # each piece keeps its own spaces
        runs.append("".join(current))
    return [run for run in map(words, runs) if len(run.split()) >= 6]


def code_lines(element) -> list[str]:
    """The lines of the code cells in ``element``, as words."""
    return [words(line) for block in element.select("div.cell_input pre")
            for line in block.get_text().splitlines() if len(words(line).split()) >= 3]


def test_student_pdf_has_every_exercise_and_no_solution(pdfs):
    """Each exercise's statement is in both PDFs; what each solution says (its prose, its
    code) is in the teacher's and nowhere in the student's."""
    from conftest import chapter_notebooks

    page = printed_page(pdfs["teacher"])
    exercises, solutions = page.select("div.exercise"), page.select("div.solution")
    assert len(exercises) >= 2 * len(chapter_notebooks()) and solutions
    assert pdfs["student"]["solutions_removed"] == len(solutions)
    assert pdfs["teacher"]["solutions_removed"] == 0
    teacher, student = pdfs["teacher"]["words"], pdfs["student"]["words"]
    for exercise in exercises:
        runs = prose_runs(exercise)
        assert runs, f"exercise {exercise.get('id')} has no sentence to look for"
        for run in runs:
            assert run in teacher and run in student, f"{run!r} is missing from a PDF"
    # What each solution says (its prose and its code lines) and nothing outside it says.
    elsewhere = words(" ".join(text for text in page.find_all(string=True)
                               if not text.find_parent("div", class_="solution")))
    for solution in solutions:
        markers = [m for m in prose_runs(solution) + code_lines(solution) if m not in elsewhere]
        assert markers, f"solution {solution.get('id')} has nothing of its own to look for"
        for marker in markers:
            assert marker in teacher, f"{marker!r} is missing from the teacher PDF"
            assert marker not in student, f"the student PDF prints a solution: {marker!r}"
    teacher, student = pdfs["teacher"]["all_text"], pdfs["student"]["all_text"]
    assert teacher.count("Solution to") == len(solutions) and "Solution to" not in student


def test_home_page_links_to_both_pdfs(pdfs, built_site):
    home = built_site / pdf_edition.root_page(ROOT)
    html = home.read_text(encoding="utf-8")
    for edition, result in pdfs.items():
        hrefs = re.findall(rf'href="([^"]*{re.escape(result["pdf"].name)})"', html)
        assert hrefs, f"the home page has no link to the {edition} PDF"
        for href in hrefs:
            target = (home.parent / href).resolve()
            assert target.read_bytes() == result["pdf"].read_bytes(), \
                f"the home page's link {href} does not lead to the {edition} PDF"


def test_missing_chromium_says_how_to_install_it(monkeypatch):
    monkeypatch.delenv("BOOK_CHROMIUM", raising=False)
    monkeypatch.setattr(pdf_edition.shutil, "which", lambda name: None)
    with pytest.raises(pdf_edition.PdfError, match="apt-get install chromium"):
        pdf_edition.find_chromium()


def test_unknown_edition_is_refused():
    with pytest.raises(ValueError, match="student"):
        pdf_edition.write_pdfs(ROOT, editions=("draft",))


def test_command_line_answers_help_without_printing(capsys):
    with pytest.raises(SystemExit) as exited:
        pdf_edition.main(["--help"])
    assert exited.value.code == 0 and "--edition" in capsys.readouterr().out
