"""Every chapter in _toc.yml runs top to bottom quickly and quietly, and reproduces itself.

The build executes each chapter once (that run's time is checked here); the student
edition of each chapter runs again in a fresh kernel (conftest.student_runs), and every
number it glues must equal the build's.
"""

from __future__ import annotations

import json

import jupytext
import pytest

from conftest import BOOK, chapter_notebooks, toc_files

# The book's target is 30 s per chapter on a 2-core laptop CPU; several chapters are not
# there yet (the README lists the measured times). This limit guards against regressions.
# A chapter may set a limit of its own in its front matter (`time_limit_seconds:`).
DEFAULT_SECONDS_LIMIT = 60


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
def test_chapter_runs_within_its_time_limit_in_the_build(chapter, build_run_seconds):
    limit = jupytext.read(chapter).metadata.get("time_limit_seconds", DEFAULT_SECONDS_LIMIT)
    seconds = build_run_seconds[chapter.stem]
    print(f"{chapter.name}: the build executed it in {seconds:.1f} s")
    assert seconds < limit, f"{chapter.name} took {seconds:.0f} s in the build, over its {limit} s limit"


@pytest.mark.parametrize("chapter", chapter_notebooks(), ids=lambda p: p.stem)
def test_chapter_reproduces_the_build_in_a_fresh_kernel(chapter, built_site, student_runs):
    notebook = student_runs[chapter.stem]
    if isinstance(notebook, str):
        pytest.fail(notebook, pytrace=False)
    stderr = [output["text"] for cell in notebook.cells if cell.cell_type == "code"
              for output in cell.get("outputs", [])
              if output.get("output_type") == "stream" and output.get("name") == "stderr"]
    assert not stderr, f"{chapter.name} wrote to stderr (the book build fails on it): {stderr}"

    # The build executed this chapter in another kernel. Every glued number must match,
    # except measured timings (keys "timing_..."). The student run lacks the solutions,
    # so a number glued inside a solution is missing there, and only there.
    built_glue = built_site.parent / "jupyter_execute" / "book" / f"{chapter.stem}.glue.json"
    ours = glued_values(notebook)
    if not ours:
        return
    assert built_glue.exists(), f"the build left no glue record at {built_glue}"
    built = {name: record["data"]["text/plain"]
             for name, record in json.loads(built_glue.read_text()).items()}
    student_source = "\n".join(cell.source for cell in notebook.cells)
    only_in_build = {name for name in set(built) - set(ours) if name not in student_source}
    assert set(ours) <= set(built), f"glued only in the fresh run: {set(ours) - set(built)}"
    assert set(built) - set(ours) == only_in_build, \
        f"glued by the build but not by the student edition: {set(built) - set(ours) - only_in_build}"
    differing = {name: (built[name], ours[name]) for name in ours
                 if not name.startswith("timing_") and built[name] != ours[name]}
    assert not differing, f"glued numbers changed between two runs: {differing}"


def test_chapters_live_in_the_book_folder():
    for chapter in chapter_notebooks():
        assert chapter.parent == BOOK, f"{chapter} is outside book/"
