"""Every chapter in _toc.yml runs top to bottom in a fresh kernel, quickly and quietly."""

from __future__ import annotations

import json
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


def glued_values(notebook) -> dict[str, str]:
    """The numbers a chapter glued into its prose, as text, from an executed notebook."""
    found = {}
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            record = output.get("metadata", {}).get("scrapbook")
            if record:
                data = output["data"]
                found[record["name"]] = next(v for k, v in data.items() if k.endswith("text/plain"))
    return found


@pytest.mark.parametrize("chapter", chapter_notebooks(), ids=lambda p: p.stem)
def test_chapter_executes_in_a_fresh_kernel(chapter, built_site):
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

    # Reproducibility: the book build executed this chapter too, in another kernel.
    # Every glued number must match, except measured timings (keys "timing_...").
    built_glue = built_site.parent / "jupyter_execute" / "book" / f"{chapter.stem}.glue.json"
    ours = glued_values(notebook)
    if ours:
        assert built_glue.exists(), f"the build left no glue record at {built_glue}"
        built = {name: record["data"]["text/plain"]
                 for name, record in json.loads(built_glue.read_text()).items()}
        assert sorted(built) == sorted(ours), "the two runs glued different names"
        differing = {name: (built[name], ours[name]) for name in ours
                     if not name.startswith("timing_") and built[name] != ours[name]}
        assert not differing, f"glued numbers changed between two runs: {differing}"


def test_chapters_live_in_the_book_folder():
    for chapter in chapter_notebooks():
        assert chapter.parent == BOOK, f"{chapter} is outside book/"
