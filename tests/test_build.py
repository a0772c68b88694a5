"""The website builds strictly: a warning, a broken reference or a failing cell stops it."""

from __future__ import annotations

import re
import shutil

import pytest
import yaml

from conftest import ROOT, is_notebook, jupyter_book_build, source_path, toc_files
from editions import repository


def test_site_builds_with_warnings_as_errors(built_site):
    for entry in toc_files():
        assert (built_site / f"{entry}.html").is_file(), f"{entry} was not built"
    assert (built_site / "_static" / "mathjax" / "tex-chtml.js").is_file(), \
        "MathJax is not served from the site itself"


def test_each_chapter_offers_downloads_and_launch_links(built_site):
    from conftest import chapter_notebooks

    for chapter in chapter_notebooks():
        page = (built_site / "book" / f"{chapter.stem}.html").read_text()
        for suffix in (".ipynb", ".md"):
            assert f"_sources/book/{chapter.stem}{suffix}" in page, (chapter.stem, suffix)
            assert (built_site / "_sources" / "book" / f"{chapter.stem}{suffix}").is_file()
        # Links only: the browser tests check that the page requests nothing from these hosts.
        # They open the chapter's committed .ipynb (Colab cannot read the .md), at the
        # repository and branch of _config.yml.
        url, branch = repository()
        org_and_repo = url.removeprefix("https://github.com/")
        notebook = f"book/{chapter.stem}.ipynb"
        assert (ROOT / notebook).is_file(), f"{notebook} is missing: python3.11 tasks.py notebooks"
        binder = f'href="https://mybinder.org/v2/gh/{org_and_repo}/{branch}?urlpath=lab/tree/{notebook}"'
        colab = f'href="https://colab.research.google.com/github/{org_and_repo}/blob/{branch}/{notebook}"'
        assert binder in page, f"{chapter.stem}: no Binder link to {notebook}"
        assert colab in page, f"{chapter.stem}: no Colab link to {notebook}"


def test_figures_are_opaque_so_they_stay_readable_in_dark_mode(built_site):
    from PIL import Image

    figures = sorted((built_site / "_images").glob("*.png"))
    assert len(figures) >= 8, f"expected the chapters' figures, found {len(figures)}"
    for figure in figures:
        with Image.open(figure) as image:
            alpha = image.convert("RGBA").getchannel("A")
            assert alpha.getextrema()[0] == 255, f"{figure.name} has transparent pixels"


# TeX that reached a page as text: MathJax typesets only $...$ and \\(...\\) in the prose,
# so TeX anywhere else (a bibliography note, a caption) is printed raw.
RAW_TEX = re.compile(r"\\(frac|mathrm|operatorname|texttt|textit|emph|mathbb|sqrt|cdot)\b")


def test_no_page_prints_raw_tex(built_site):
    from bs4 import BeautifulSoup

    for entry in toc_files():
        soup = BeautifulSoup((built_site / f"{entry}.html").read_text(), "html.parser")
        article = soup.select_one("article.bd-article")
        for skipped in article.select(".math, pre, code, script, style, .cell_output"):
            skipped.decompose()
        found = sorted(set(m.group(0) for m in RAW_TEX.finditer(article.get_text())))
        assert not found, f"{entry} prints TeX source as text: {found}"


def test_book_style_uses_the_okabe_ito_palette():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from figures import OKABE_ITO, use_book_style

    use_book_style()
    assert plt.rcParams["axes.prop_cycle"].by_key()["color"] == OKABE_ITO
    assert plt.rcParams["figure.facecolor"] == "white"


NOTEBOOK_HEADER = ("---\njupytext:\n  text_representation:\n    format_name: myst\n"
                   "kernelspec:\n  name: python3\n  display_name: Python 3\n---\n")

def test_every_page_with_code_cells_is_executed_as_a_notebook():
    """Without MyST-NB's front matter a page's code cells would silently not run."""
    for entry in toc_files():
        path = source_path(entry)
        if "{code-cell}" in path.read_text():
            assert is_notebook(path), f"{path.name} has code cells but no jupytext front matter"


# A one-page book built with the book's own _config.yml: each broken page must fail it.
# Each case: the page, and what the build's output must say about it.
BROKEN_PAGES = {
    "broken cross-reference": (
        "# Page\n\nSee {ref}`a-label-that-does-not-exist`.\n", "a-label-that-does-not-exist"),
    "cell that raises": (
        NOTEBOOK_HEADER + "# Page\n\n```{code-cell} ipython3\nraise RuntimeError('boom')\n```\n",
        "RuntimeError"),
    "cell that warns": (NOTEBOOK_HEADER + (
        "# Page\n\n```{code-cell} ipython3\nimport warnings\nwarnings.warn('stale claim')\n```\n"),
        "stderr was found in the cell outputs"),
    "toc entry with no file": (None, "book/page"),
}
GOOD_PAGE = NOTEBOOK_HEADER + "# Page\n\n$x^2$ and\n\n```{code-cell} ipython3\nprint(1 + 1)\n```\n"


def build_one_page_book(folder, page):
    shutil.copy(ROOT / "_config.yml", folder)
    (folder / "book").mkdir()
    shutil.copy(ROOT / "book" / "references.bib", folder / "book")
    for support in ("_ext", "_static", "_extra"):  # what _config.yml points at
        shutil.copytree(ROOT / "book" / support, folder / "book" / support)
    (folder / "_toc.yml").write_text("format: jb-book\nroot: book/index\n"
                                     "chapters:\n  - file: book/page\n")
    (folder / "book" / "index.md").write_text("# Index\n\nA page.\n")
    if page is not None:
        (folder / "book" / "page.md").write_text(page)
    return jupyter_book_build(folder, timeout=300)


def test_a_correct_one_page_book_builds(tmp_path):
    """The control for the next test: the same small book, without a fault, builds."""
    result = build_one_page_book(tmp_path, GOOD_PAGE)
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]


@pytest.mark.parametrize("problem", BROKEN_PAGES)
def test_the_build_fails_on(problem, tmp_path):
    page, reported = BROKEN_PAGES[problem]
    result = build_one_page_book(tmp_path, page)
    output = result.stdout + result.stderr
    assert result.returncode != 0, f"a {problem} did not fail the build:\n{output[-3000:]}"
    assert reported in output, f"the build failed without naming the {problem}:\n{output[-3000:]}"


def test_repository_and_issue_buttons_use_the_configured_address(built_site):
    url = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]["url"].rstrip("/")
    for entry in toc_files():
        page = (built_site / f"{entry}.html").read_text()
        assert f'href="{url}"' in page, f"{entry}: no repository button to {url}"
        assert f"{url}/issues/new?" in page, f"{entry}: no issue button to {url}"
