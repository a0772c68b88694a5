"""Live code: a button on each chapter page that makes its code cells editable and runnable
against a Jupyter server, with thebe 0.9.3 (BSD-3-Clause) served from the site itself.

A Sphinx extension of this book (loaded by ``offline_site``), and a small command:

- Every page gets ``_static/live-code.js`` (a few kB). It reads ``_static/live-config.js``,
  which names the Jupyter server; with none named (the default), it does nothing, so a
  reader of the published website sees no button. ``python3.11 tasks.py serve --live``
  serves its own ``live-config.js`` naming the local server it starts; a class sets its
  server at build time (``live_code_server`` in ``_config.yml``) or per link
  (``?jupyter=URL&token=TOKEN``). See the teachers' page.
- thebe is loaded only when the reader presses the button, from ``_static/thebe/``. It is not
  in the repository: ``python3.11 book/_ext/live_code.py`` (or ``serve --live``) gets the
  pinned npm tarball with ``npm pack``, checks it against the pinned sha512 and keeps its
  ``lib/`` (3.3 MB without source maps) in ``_build/thebe-0.9.3``; every build then copies it
  into the site, with thebe's licence. Without it the build still works; live code does not.

Nothing here fetches anything at build or reading time: only ``npm pack``, run on purpose,
talks to the npm registry.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
THEBE_VERSION = "0.9.3"
# From the npm registry's record of thebe 0.9.3 (`npm view thebe@0.9.3 dist.integrity`).
THEBE_INTEGRITY = ("sha512-Rb/7kVhtlffXra3kIe7OuIGE7awsm2/fGWxw21DiNfnWLnUQiDl9AWqYdshPwZPG"
                   "/5DzLpsJRPix2xtCPtJmQQ==")
THEBE_LICENSE = HERE / "thebe-LICENSE.txt"   # the npm package ships none; from its repository
CONFIG_FILE = "live-config.js"


def thebe_cache(build_dir: Path) -> Path:
    """Where thebe's files are kept between builds: next to the website, in _build."""
    return Path(build_dir) / f"thebe-{THEBE_VERSION}"


def fetch_thebe(build_dir: Path) -> Path:
    """Get thebe's pinned tarball with ``npm pack``, check its sha512, keep ``lib/``'s
    scripts and stylesheet (no source maps, no type declarations) and the licence."""
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("live code needs thebe's files, and getting them needs npm "
                           "(Node.js): install it, or read the chapters in JupyterLab with "
                           "`python3.11 tasks.py lab`")
    target = thebe_cache(build_dir)
    with tempfile.TemporaryDirectory() as scratch:
        packed = subprocess.run([npm, "pack", f"thebe@{THEBE_VERSION}", "--pack-destination",
                                 scratch, "--loglevel=error"], stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, text=True)
        if packed.returncode != 0:
            # npm's own lines, without its stack trace: "code ENOTFOUND; FetchError: ..."
            lines = [re.sub(r"^npm (error|ERR!) ?", "", line).removesuffix(" {")
                     for line in (packed.stderr or "").splitlines()]
            said = "; ".join(line for line in lines if line.strip() and line[0] not in " \t}")
            raise RuntimeError(f"npm could not download thebe {THEBE_VERSION} (offline, or the "
                               f"npm registry out of reach?): "
                               f"{said[:800] or f'npm exited with status {packed.returncode}'}")
        tarball = Path(scratch) / f"thebe-{THEBE_VERSION}.tgz"
        digest = hashlib.sha512(tarball.read_bytes()).digest()
        digest = "sha512-" + base64.b64encode(digest).decode()
        if digest != THEBE_INTEGRITY:
            raise RuntimeError(f"thebe's tarball has the wrong checksum ({digest}); refusing it")
        unpacked = Path(scratch) / "lib"
        unpacked.mkdir()
        with tarfile.open(tarball) as archive:
            for member in archive.getmembers():
                name = member.name.removeprefix("package/lib/")
                if (member.isfile() and name != member.name and "/" not in name
                        and (name.endswith((".js", ".css")) or name.endswith(".LICENSE.txt"))):
                    (unpacked / name).write_bytes(archive.extractfile(member).read())
        if not (unpacked / "index.js").exists():
            raise RuntimeError("thebe's tarball has no lib/index.js")
        shutil.copyfile(THEBE_LICENSE, unpacked / "LICENSE")
        shutil.rmtree(target, ignore_errors=True)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(unpacked, target)
    return target


def install_thebe(build_dir: Path, html_dir: Path) -> bool:
    """Copy thebe's kept files into the site's _static/thebe; False if there are none."""
    source = thebe_cache(build_dir)
    if not (source / "index.js").exists():
        return False
    shutil.copytree(source, Path(html_dir) / "_static" / "thebe", dirs_exist_ok=True)
    return True


def config_script(server: dict | None) -> str:
    """The text of live-config.js: which Jupyter server the pages use (None: no live code)."""
    if server is not None:
        url = str(server.get("url", "")) if isinstance(server, dict) else ""
        if not url.startswith(("http://", "https://")):
            raise ValueError("live_code_server must be a dict with a url starting http:// or "
                             f"https:// (and optionally token and kernel), got {server!r}")
        server = {"url": str(server["url"]).rstrip("/"), "token": str(server.get("token", "")),
                  "kernel": str(server.get("kernel", "python3"))}
    return ("// Live code: the Jupyter server that the pages' live-code button uses (null: none,\n"
            "// so no button). `python3.11 tasks.py serve --live` answers with its own server.\n"
            f"window.bookLiveCode = {json.dumps(server)};\n")


# --------------------------------------------------------------------------
# The Sphinx side
# --------------------------------------------------------------------------

def add_static_path(app, config):
    config.html_static_path.append(str(HERE / "live_code_static"))


def write_config_and_thebe(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    static = Path(app.outdir) / "_static"
    static.mkdir(parents=True, exist_ok=True)
    (static / CONFIG_FILE).write_text(config_script(app.config.live_code_server))
    install_thebe(Path(app.outdir).parent, app.outdir)


def setup(app):
    app.add_config_value("live_code_server", None, "html", types=[dict, type(None)])
    app.connect("config-inited", add_static_path)
    app.connect("build-finished", write_config_and_thebe)
    app.add_js_file("live-code.js", loading_method="defer")
    return {"parallel_read_safe": True, "parallel_write_safe": True}


if __name__ == "__main__":
    build = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE.parents[1] / "_build"
    print(f"thebe {THEBE_VERSION} kept in {fetch_thebe(build)}")
