"""Every chapter in _toc.yml runs top to bottom in a fresh kernel, quickly and quietly."""

from __future__ import annotations

import time

import jupytext
import pytest
from nbclient import NotebookClient

from conftest import BOOK, ROOT, chapter_notebooks, toc_files

# "Well under a minute on a 2-core laptop". A chapter may set a tighter limit of its own
# in its front matter (`time_limit_seconds:`), as its issue asks.
DEFAULT_SECONDS_LIMIT = 45


def test_toc_names_chapters():
    assert chapter_notebooks(), f"_toc.yml lists no notebook chapters: {toc_files()}"


@pytest.mark.parametrize("chapter", chapter_notebooks(), ids=lambda p: p.stem)
def test_chapter_executes_in_a_fresh_kernel(chapter):
    notebook = jupytext.read(chapter)
    limit = notebook.metadata.get("time_limit_seconds", DEFAULT_SECONDS_LIMIT)
    client = NotebookClient(notebook, kernel_name="python3", timeout=120,
                            resources={"metadata": {"path": str(chapter.parent)}})
    started = time.perf_counter()
    client.execute()  # raises CellExecutionError, with the traceback, if a cell fails
    seconds = time.perf_counter() - started
    print(f"{chapter.relative_to(ROOT)} executed in {seconds:.1f} s")

    stderr = [output["text"] for cell in notebook.cells if cell.cell_type == "code"
              for output in cell.get("outputs", [])
              if output.get("output_type") == "stream" and output.get("name") == "stderr"]
    assert not stderr, f"{chapter.name} wrote to stderr (the book build fails on it): {stderr}"
    assert seconds < limit, f"{chapter.name} took {seconds:.0f} s, over its {limit} s limit"


def test_chapters_live_in_the_book_folder():
    for chapter in chapter_notebooks():
        assert chapter.parent == BOOK, f"{chapter} is outside book/"
