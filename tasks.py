"""Build, serve and test the book with nothing but Python 3.11 to start from.

    python3.11 tasks.py build   # make .venv, install requirements.txt, build the website
    python3.11 tasks.py test    # the same environment, then the whole test suite
    python3.11 tasks.py serve   # serve the built website on http://127.0.0.1:8000
    python3.11 tasks.py lab     # open the chapters as notebooks in JupyterLab
    python3.11 tasks.py editions  # student and teacher notebooks in editions/
    python3.11 tasks.py notebooks # after editing a chapter: its .ipynb for Colab and Binder

Uses only the standard library, so it runs before anything is installed, on Linux,
macOS and Windows.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
REQUIREMENTS = ROOT / "requirements.txt"
HTML = ROOT / "_build" / "html"
# Strict build: warnings are errors (-W), broken references too (-n); --keep-going
# reports every warning before failing instead of stopping at the first.
STRICT_BUILD_OPTIONS = ["-W", "-n", "--keep-going"]


def venv_bin(name: str) -> Path:
    folder = "Scripts" if sys.platform == "win32" else "bin"
    suffix = ".exe" if sys.platform == "win32" else ""
    return VENV / folder / f"{name}{suffix}"


def run(*command: object) -> None:
    print("+", " ".join(str(part) for part in command), flush=True)
    subprocess.run([str(part) for part in command], cwd=ROOT, check=True)


def ensure_environment() -> None:
    """Create .venv and install the pinned requirements, unless they are already in."""
    if sys.version_info[:2] != (3, 11):
        sys.exit(f"This book pins its packages for Python 3.11; this is Python "
                 f"{sys.version.split()[0]}. Run this script with python3.11.")
    stamp = VENV / "requirements.sha256"
    wanted = hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == wanted and venv_bin("python").exists():
        return
    if not venv_bin("python").exists():
        run(sys.executable, "-m", "venv", VENV)
    run(venv_bin("python"), "-m", "pip", "install", "--quiet", "-r", REQUIREMENTS)
    stamp.write_text(wanted)


def forget_stale_execution_cache() -> None:
    """Drop the execution cache when code the chapters import has changed.

    Jupyter Book's cache keys on each chapter's own text only, so without this an
    edit to book/helpers.py would leave stale outputs in the book.
    """
    imported = sorted((ROOT / "book").glob("*.py"))
    digest = hashlib.sha256(b"".join(p.name.encode() + p.read_bytes() for p in imported))
    stamp = ROOT / "_build" / "helpers.sha256"
    if stamp.exists() and stamp.read_text() == digest.hexdigest():
        return
    shutil.rmtree(ROOT / "_build" / ".jupyter_cache", ignore_errors=True)
    stamp.parent.mkdir(exist_ok=True)
    stamp.write_text(digest.hexdigest())


def build() -> None:
    ensure_environment()
    forget_stale_execution_cache()
    started = time.perf_counter()
    run(venv_bin("jupyter-book"), "build", ROOT, *STRICT_BUILD_OPTIONS)
    print(f"\nBuilt in {time.perf_counter() - started:.0f} s. Open the book at:\n"
          f"    {(HTML / 'index.html').as_uri()}\n"
          f"or serve it (search works better served) with:  python3.11 tasks.py serve")


def serve() -> None:
    if not (HTML / "index.html").exists():
        build()
    print("Serving the book on http://127.0.0.1:8000 (Ctrl+C stops)")
    run(sys.executable, "-m", "http.server", "8000", "--bind", "127.0.0.1",
        "--directory", HTML)


def ensure_axe() -> None:
    """axe-core for the accessibility tests, if npm is there (else those tests skip)."""
    if (ROOT / "tests" / "node_modules" / "axe-core").exists():
        return
    npm = shutil.which("npm")
    if npm:
        run(npm, "ci", "--prefix", ROOT / "tests", "--no-audit", "--no-fund")


def test() -> None:
    ensure_environment()
    ensure_axe()
    run(venv_bin("python"), "-m", "pytest", "tests", *sys.argv[2:])


def editions() -> None:
    ensure_environment()
    run(venv_bin("python"), ROOT / "editions.py", *sys.argv[2:])


def notebooks() -> None:
    ensure_environment()
    run(venv_bin("python"), ROOT / "editions.py", "--launch-notebooks")


def lab() -> None:
    ensure_environment()
    # jupytext lets JupyterLab open the chapters' .md files as notebooks.
    run(venv_bin("jupyter"), "lab", ROOT / "book")


COMMANDS = {"build": build, "serve": serve, "test": test, "lab": lab, "editions": editions,
            "notebooks": notebooks}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        sys.exit(__doc__)
    try:
        COMMANDS[sys.argv[1]]()
    except subprocess.CalledProcessError as error:
        sys.exit(error.returncode)
    except KeyboardInterrupt:
        pass
