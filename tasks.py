"""Build, serve and test the book with nothing but Python 3.11 to start from.

    python3.11 tasks.py build   # make .venv, install requirements.txt, build the website
    python3.11 tasks.py test    # the same environment, then the whole test suite
    python3.11 tasks.py serve   # serve the website on http://127.0.0.1:8000; --live: live code too
    python3.11 tasks.py lab     # open the chapters as notebooks in JupyterLab
    python3.11 tasks.py editions  # student and teacher notebooks in editions/
    python3.11 tasks.py notebooks # after editing a chapter: its .ipynb for Colab and Binder
    python3.11 tasks.py pdf       # the book as one PDF, student and teacher (needs Chromium)

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
    """Drop the execution cache and Sphinx's doctrees when code the chapters import has changed.

    Jupyter Book's cache keys on each chapter's own text only, so without this an edit to
    a module in book/ (network.py, say) would leave stale outputs in the book.
    """
    imported = sorted((ROOT / "book").glob("*.py"))
    digest = hashlib.sha256(b"".join(p.name.encode() + p.read_bytes() for p in imported))
    stamp = ROOT / "_build" / "book-modules.sha256"
    if stamp.exists() and stamp.read_text() == digest.hexdigest():
        return
    shutil.rmtree(ROOT / "_build" / ".jupyter_cache", ignore_errors=True)
    # While its pickled doctrees exist, Sphinx re-reads only the pages whose source changed,
    # so an unchanged chapter would keep the outputs of its last run, from the old modules.
    # Every build's doctrees go (the website's, _build/.doctrees, and the PDF's single page).
    for doctrees in sorted((ROOT / "_build").rglob(".doctrees")):
        shutil.rmtree(doctrees, ignore_errors=True)
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
    """Serve the built website on 127.0.0.1, port 8000 (``--port N``; 0 picks a free port).

    With ``--live``, also start a Jupyter server for the pages' live code (see
    book/_ext/live_code.py and the teachers' page): the one in .venv, bound to 127.0.0.1, with
    a random token, accepting requests from this site's origin only, its folder book/. The
    pages learn its address and token from /_static/live-config.js, which this server answers
    itself (to this site's own pages only) instead of the built file, so nothing is written.
    For a computer used by one person: any program on it can ask for live-config.js as a
    page would, and so get the token.
    """
    import http.server
    import os
    import secrets
    import signal
    import socket
    import urllib.request
    from urllib.parse import urlparse

    options, live, port = sys.argv[2:], "--live" in sys.argv[2:], 8000
    if "--port" in options:
        try:
            port = int(options[options.index("--port") + 1])
        except (IndexError, ValueError):
            sys.exit("--port needs a number, e.g. --port 8001 (0 picks a free port)")
    if not (HTML / "index.html").exists():
        build()
    live_config = None

    class Site(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(HTML), **kwargs)

        def log_message(self, *args):   # one line per request drowns Jupyter's messages
            pass

        def do_GET(self):
            if live_config is None or urlparse(self.path).path != "/_static/live-config.js":
                return super().do_GET()
            # The token goes to a script of this site's own pages only. The browser says
            # Sec-Fetch-Site: same-origin for those (cross-site for a page elsewhere that
            # includes this script; a program sends nothing), and the Host must be this
            # site's (a page of a domain that now resolves to 127.0.0.1, DNS rebinding, sends
            # its own name). A local program can forge both: hence one person per computer.
            own_host = self.headers.get("Host", "").lower() in (f"127.0.0.1:{site_port}",
                                                                 f"localhost:{site_port}")
            own_page = self.headers.get("Sec-Fetch-Site") == "same-origin"
            body = (live_config if own_host and own_page
                    else live_code.config_script(None)).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/javascript; charset=utf-8")
            self.send_header("Cache-Control", "no-store")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    try:
        site = http.server.ThreadingHTTPServer(("127.0.0.1", port), Site)
    except OSError as error:
        sys.exit(f"Cannot serve on 127.0.0.1:{port} ({error}); try --port 0")
    site_port = site.server_address[1]
    jupyter = None
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))   # stop Jupyter too when terminated
    try:
        if live:
            sys.path.insert(0, str(ROOT / "book" / "_ext"))
            import live_code

            if not live_code.install_thebe(HTML.parent, HTML):
                print("Getting thebe for live code: npm pack thebe@" + live_code.THEBE_VERSION,
                      flush=True)
                try:
                    live_code.fetch_thebe(HTML.parent)
                except (RuntimeError, subprocess.CalledProcessError) as error:
                    sys.exit(f"Live code is not available: {error}")
                live_code.install_thebe(HTML.parent, HTML)
            if not venv_bin("jupyter").exists():
                ensure_environment()
            token = secrets.token_urlsafe(24)
            with socket.socket() as probe:          # a free port for Jupyter
                probe.bind(("127.0.0.1", 0))
                jupyter_port = probe.getsockname()[1]
            origins = rf"^http://(127\.0\.0\.1|localhost):{site_port}$"   # this site only
            command = [venv_bin("jupyter"), "server", "--no-browser", "--ServerApp.ip=127.0.0.1",
                       f"--ServerApp.port={jupyter_port}", "--ServerApp.port_retries=0",
                       f"--ServerApp.root_dir={ROOT / 'book'}",
                       f"--ServerApp.allow_origin_pat={origins}",
                       # a kernel idle for an hour with no page connected to it is shut down
                       "--MappingKernelManager.cull_idle_timeout=3600"]
            if getattr(os, "geteuid", lambda: 1)() == 0:
                command.append("--allow-root")      # as root (in CI's containers) Jupyter asks
            # The token goes in the environment, not in argv, which every user of the computer
            # can list (live-config.js still hands it to any local program: see above).
            # Its own process group: Ctrl+C stops this script, which then stops Jupyter.
            group = ({"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP}
                     if sys.platform == "win32" else {"start_new_session": True})
            jupyter_url = f"http://127.0.0.1:{jupyter_port}"
            jupyter = subprocess.Popen([str(part) for part in command], cwd=ROOT / "book",
                                       env=dict(os.environ, JUPYTER_TOKEN=token), **group)
            status = urllib.request.Request(f"{jupyter_url}/api/status",
                                            headers={"Authorization": f"token {token}"})
            for _ in range(480):                    # it can take a while on a busy laptop
                if jupyter.poll() is not None:
                    sys.exit("The Jupyter server for live code stopped; its messages are above.")
                try:
                    urllib.request.urlopen(status, timeout=2).close()
                    break
                except OSError:
                    time.sleep(0.25)
            else:
                sys.exit("The Jupyter server for live code did not answer in two minutes.")
            live_config = live_code.config_script(
                {"url": jupyter_url, "token": token, "kernel": "python3"})
            print(f"Live code: a Jupyter server on {jupyter_url} (folder book/); each chapter "
                  f"page has a live-code button.", flush=True)
        print(f"Serving the book on http://127.0.0.1:{site_port} (Ctrl+C stops)", flush=True)
        site.serve_forever()
    finally:
        site.server_close()
        if jupyter is not None and jupyter.poll() is None:
            try:                                    # asked this way, on any system, Jupyter
                urllib.request.urlopen(urllib.request.Request(   # shuts its kernels down
                    f"{jupyter_url}/api/shutdown", method="POST",
                    headers={"Authorization": f"token {token}"}), timeout=10).close()
                jupyter.wait(timeout=30)
            except (OSError, subprocess.TimeoutExpired):
                jupyter.terminate()
                try:
                    jupyter.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    jupyter.kill()


def ensure_axe() -> None:
    """axe-core for the accessibility tests, if npm is there (else those tests skip)."""
    if (ROOT / "tests" / "node_modules" / "axe-core").exists():
        return
    npm = shutil.which("npm")
    if npm:
        run(npm, "ci", "--prefix", ROOT / "tests", "--no-audit", "--no-fund")


def ensure_thebe() -> None:
    """thebe's files for live code and its browser test, if npm is there (else that test skips)."""
    sys.path.insert(0, str(ROOT / "book" / "_ext"))
    import live_code

    if not (live_code.thebe_cache(ROOT / "_build") / "index.js").exists() and shutil.which("npm"):
        live_code.fetch_thebe(ROOT / "_build")


def test() -> None:
    ensure_environment()
    ensure_axe()
    ensure_thebe()
    # Two workers (pytest-xdist), after the build (tests/session_runs.py); tests that share
    # a fixture too costly to make twice are grouped on one worker. The 15 slowest tests are
    # listed at the end: the suite's time is part of its quality.
    run(venv_bin("python"), "-m", "pytest", "tests", "-n", "2", "--dist", "loadgroup",
        "--durations=15", *sys.argv[2:])


def editions() -> None:
    ensure_environment()
    run(venv_bin("python"), ROOT / "editions.py", *sys.argv[2:])


def notebooks() -> None:
    ensure_environment()
    run(venv_bin("python"), ROOT / "editions.py", "--launch-notebooks")


def pdf() -> None:
    """Build the website (its execution cache spares the chapters a second run), then
    print the student and teacher PDFs with the system's Chromium (pdf_edition.py)."""
    if any(arg in ("-h", "--help") for arg in sys.argv[2:]):
        ensure_environment()
        run(venv_bin("python"), ROOT / "pdf_edition.py", "--help")
        return
    from pdf_edition import PdfError, find_chromium   # stdlib only at import

    try:
        find_chromium()          # before the build, so a missing browser is said at once
    except PdfError as error:
        sys.exit(str(error))
    started = time.perf_counter()
    build()
    run(venv_bin("python"), ROOT / "pdf_edition.py", *sys.argv[2:])
    print(f"Website and PDFs in {time.perf_counter() - started:.0f} s.")


def lab() -> None:
    ensure_environment()
    # jupytext lets JupyterLab open the chapters' .md files as notebooks.
    run(venv_bin("jupyter"), "lab", ROOT / "book")


COMMANDS = {"build": build, "serve": serve, "test": test, "lab": lab, "editions": editions,
            "notebooks": notebooks, "pdf": pdf}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        sys.exit(__doc__)
    try:
        COMMANDS[sys.argv[1]]()
    except subprocess.CalledProcessError as error:
        sys.exit(error.returncode)
    except KeyboardInterrupt:
        pass
