"""The student and teacher editions (editions.py)."""

from __future__ import annotations

import re

import jupytext
import nbformat
import pytest

from editions import chapter_notebooks, without_solutions
from test_modules import header_downloads

CHECK_CELL = re.compile(r"^(\w+) = exercise\(\"([\w-]+)\"\)", re.MULTILINE)


def test_without_solutions_cuts_inside_and_across_cells():
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("Intro\n\n```{solution-start} ex-1\n:class: dropdown\n```\n\nWhy."),
        nbformat.v4.new_code_cell("answer = 42"),
        nbformat.v4.new_markdown_cell("```{solution-end}\n```\n\nNext exercise text."),
        nbformat.v4.new_code_cell("answer = ..."),
    ])
    student = without_solutions(notebook)
    assert [c.source for c in student.cells] == ["Intro", "Next exercise text.", "answer = ..."]
    assert len(notebook.cells) == 4                         # the original is untouched


def test_an_unclosed_solution_is_an_error():
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("```{solution-start} ex-1\n```\n")])
    with pytest.raises(ValueError, match="no matching"):
        without_solutions(notebook)


def exercises_in(notebook) -> list[str]:
    return [label for cell in notebook.cells if cell.cell_type == "code"
            for _, label in CHECK_CELL.findall(cell.source)]


def test_every_chapter_has_both_editions(editions):
    names = [p.stem for p in chapter_notebooks()]
    assert [p.stem for p in editions["student"]] == names
    assert [p.stem for p in editions["teacher"]] == names
    # Every module a chapter imports (each chapter's header lists them; test_modules.py checks
    # the headers against the code) is beside the notebooks.
    for edition in editions.values():
        for chapter in chapter_notebooks():
            for module in header_downloads(chapter):
                assert (edition[0].parent / module).exists(), \
                    f"{module}, which {chapter.name} needs, is missing beside the notebooks"


@pytest.mark.parametrize("chapter", chapter_notebooks(), ids=lambda p: p.stem)
def test_teacher_edition_is_the_chapter_and_student_edition_drops_only_solutions(editions, chapter):
    source = jupytext.read(chapter)
    teacher, student = (nbformat.read(next(p for p in editions[e] if p.stem == chapter.stem), 4)
                        for e in ("teacher", "student"))
    # The teacher edition is the chapter, cell for cell: the chapter tests execute exactly
    # these cells, and each solution cell asserts that its answer passes the check.
    assert [c.source for c in teacher.cells] == [c.source for c in source.cells]
    labels = exercises_in(teacher)
    assert len(labels) >= 2, f"{chapter.name} has fewer than two exercises"
    teacher_text = "\n".join(c.source for c in teacher.cells)
    for name, _ in CHECK_CELL.findall(teacher_text):
        assert re.search(rf"assert {name}\.check\(answer\)", teacher_text), \
            f"{chapter.name}: the solution of {name} is not checked"
    # The student edition keeps every exercise and check, and no solution.
    student_text = "\n".join(c.source for c in student.cells)
    assert exercises_in(student) == labels
    assert "solution-start" not in student_text and "solution-end" not in student_text
    assert not re.search(r"assert \w+\.check\(answer\)", student_text)
    assert student_text.count(":::{exercise}") == teacher_text.count(":::{exercise}")


@pytest.mark.parametrize("chapter", chapter_notebooks(), ids=lambda p: p.stem)
def test_student_notebook_runs_and_every_check_says_not_solved(student_runs, chapter):
    notebook = student_runs[chapter.stem]   # executed once, shared with the chapter tests
    if isinstance(notebook, str):
        pytest.fail(notebook, pytrace=False)
    printed = [output.get("text", "") for cell in notebook.cells if cell.cell_type == "code"
               for output in cell.get("outputs", []) if output.get("name") == "stdout"]
    not_solved = sum("not solved yet" in text for text in printed)
    assert not_solved == len(exercises_in(notebook)), printed
    assert not any("Correct!" in text for text in printed)


def test_command_line_answers_help_and_rejects_unknown_options(tmp_path, capsys, monkeypatch):
    from editions import main

    monkeypatch.chdir(tmp_path)  # an old version wrote the editions into ./--help

    with pytest.raises(SystemExit) as exited:
        main(["--help"])
    assert exited.value.code == 0 and "--launch-notebooks" in capsys.readouterr().out
    with pytest.raises(SystemExit) as exited:
        main(["--bogus"])
    assert exited.value.code == 2 and "unrecognized arguments: --bogus" in capsys.readouterr().err
    assert not list(tmp_path.iterdir()), "the command wrote files although it was only asked for help"
