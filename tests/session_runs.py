"""The three slow runs a test session shares: the strict build of the website, every
chapter's student edition in a fresh kernel, and the two PDFs.

In parallel (``pytest -n 2``, as ``tasks.py test`` runs it) the controlling process starts
them before any worker runs a test (conftest.pytest_sessionstart): the build on one core,
alone, because the chapter tests check how long its chapters took, and the student runs
one at a time on the other core, at the lowest priority (the build is one process, mostly
single-threaded: 187 s of CPU in 177 s).
When the build is done, the PDFs print in the background while the workers run the tests;
each fixture waits only for what it needs, through files in one folder named by
``BOOK_TEST_SESSION``. In one process (plain ``pytest``) the fixtures do the same work
themselves, when first asked.
"""

from __future__ import annotations

import json
import os
import pickle
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SESSION_VARIABLE = "BOOK_TEST_SESSION"
WAIT_SECONDS = 1800          # longer than any of the runs takes, even on a slow machine


def shared_folder() -> Path | None:
    """The folder of the controlling process's runs, or None in a one-process session."""
    value = os.environ.get(SESSION_VARIABLE)
    return Path(value) if value else None


def jupyter_book_build(source: Path, timeout: float = 900) -> subprocess.CompletedProcess:
    """Run the book's strict build on ``source``; return the finished process."""
    from tasks import STRICT_BUILD_OPTIONS

    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    args = [str(jupyter_book), "build", str(source), *STRICT_BUILD_OPTIONS]
    return subprocess.run(args, cwd=source, capture_output=True, text=True, timeout=timeout)


def strict_build() -> dict:
    """Build the website as tasks.py does; return its exit status and the end of its log."""
    from tasks import forget_stale_execution_cache

    forget_stale_execution_cache()
    result = jupyter_book_build(ROOT)
    return {"returncode": result.returncode, "log": (result.stdout + result.stderr)[-6000:]}


def run_student_edition(path: Path) -> str | None:
    """Execute one student notebook in a fresh kernel, next to it as <stem>.executed.ipynb;
    return None, or what went wrong."""
    output = path.with_name(f"{path.stem}.executed.ipynb")
    # At the lowest priority (POSIX): beside the build, whose chapter times are tested, the
    # build comes first for the CPU. (It does not undo every slowing: see the README.)
    lowest = {"preexec_fn": lambda: os.nice(19)} if hasattr(os, "nice") else {}
    result = subprocess.run(
        [sys.executable, "-m", "nbconvert", "--to", "notebook", "--execute",
         "--ExecutePreprocessor.timeout=120", "--output", output.name, str(path)],
        cwd=path.parent, capture_output=True, text=True, timeout=600, **lowest)
    if result.returncode != 0:
        return f"{path.name} failed in a fresh kernel:\n{result.stderr[-4000:]}"
    return None


def read_student_run(path: Path, error: str | None):
    """The executed notebook of ``path``, or the error text."""
    import nbformat

    return error if error else nbformat.read(path.with_name(f"{path.stem}.executed.ipynb"), 4)


def print_pdfs() -> dict:
    """Both PDF editions, from the built website (its execution cache: no chapter runs again),
    copied into the site as ``tasks.py pdf`` does."""
    import pdf_edition

    results = pdf_edition.write_pdfs(ROOT)
    pdf_edition.copy_into_site([r["pdf"] for r in results.values()], ROOT)
    return results


# ---- The controlling process of a parallel session ---------------------------------------

def start(folder: Path) -> list[threading.Thread]:
    """Start the shared runs, writing their results into ``folder``; return when the build
    is done (the student runs and the PDFs go on in the background threads returned)."""
    from editions import write_editions

    shutil.rmtree(folder, ignore_errors=True)      # nothing from an earlier session
    folder.mkdir(parents=True)
    os.environ[SESSION_VARIABLE] = str(folder)     # the workers, started later, inherit it
    student = write_editions(folder / "editions")["student"]
    (folder / "student.json").write_text(json.dumps([str(p) for p in student]))
    # The last chapters first: they run longest, so the runs end about when the build does.
    student_thread = threading.Thread(target=run_students, args=(student, folder), daemon=True)
    student_thread.start()
    write_result(folder / "build.json", strict_build)
    pdfs = print_pdfs if json.loads((folder / "build.json").read_text()).get(
        "ok", {}).get("returncode") == 0 else build_failed
    pdf_thread = threading.Thread(target=write_result, args=(folder / "pdfs.pickle", pdfs),
                                  daemon=True)
    pdf_thread.start()
    return [student_thread, pdf_thread]


def build_failed():
    raise RuntimeError("no PDF: the strict build failed")


def run_students(notebooks: list[Path], folder: Path) -> None:
    for path in notebooks[::-1]:
        write_result(folder / f"student-{path.stem}.json", lambda: run_student_edition(path))


def write_result(path: Path, work) -> None:
    """Do ``work`` and write what it returned, or the error it raised, to ``path`` (written
    whole, then renamed, so a waiting reader never sees half of it)."""
    try:
        value = {"ok": work()}
    except BaseException as error:          # the waiting test reports it
        value = {"error": f"{type(error).__name__}: {error}"}
    partial = path.with_suffix(".partial")
    if path.suffix == ".pickle":
        partial.write_bytes(pickle.dumps(value))
    else:
        partial.write_text(json.dumps(value))
    partial.replace(path)


# ---- The fixtures' side ---------------------------------------------------------------------

def wait_for(path: Path):
    """What the controlling process wrote to ``path`` once it is there: {"ok": ...} or
    {"error": ...}."""
    deadline = time.monotonic() + WAIT_SECONDS
    while not path.exists():
        if time.monotonic() > deadline:
            return {"error": f"nothing at {path} after {WAIT_SECONDS} s"}
        time.sleep(0.2)
    return pickle.loads(path.read_bytes()) if path.suffix == ".pickle" else json.loads(
        path.read_text())
