"""Small fixes that keep the website clean offline (a Sphinx extension of this book).

- sphinx-thebe, which Jupyter Book always loads, adds its inline config script twice
  ("THEBE_JS_URL has already been declared" in the console) and names a CDN in it.
  The book does not use thebe (launch_buttons.thebe is false), so its scripts go.
- sphinx-book-theme leaves the theme's default colour mode empty, which the
  pydata theme reports as a console error; the book starts in "auto" mode.
- docutils marks the bibliography `role="list"` without list items inside, a
  critical error for screen readers (axe: aria-required-children); the role goes.
- MyST-NB's hidden-output toggles are named "Toggle hidden content" while they show
  "Show code cell output" (axe: label-content-name-mismatch); the shown text names them.

It also loads ``live_code`` (next to it): the live-code button, served from the site itself.
"""

from __future__ import annotations


def _thebe_enabled(app) -> bool:
    launch = app.config.html_theme_options.get("launch_buttons", {})
    return bool(launch.get("thebe"))


def _is_thebe_script(script) -> bool:
    body = getattr(script, "attributes", {}).get("body", "") or ""
    return "THEBE_JS_URL" in body or str(script).endswith("sphinx-thebe.js")


def drop_thebe_scripts(app, pagename, templatename, context, doctree):
    if not _thebe_enabled(app) and "script_files" in context:
        context["script_files"] = [s for s in context["script_files"] if not _is_thebe_script(s)]


def fix_body_accessibility(app, pagename, templatename, context, doctree):
    if "body" in context:
        context["body"] = (context["body"]
                           .replace('role="list" class="citation-list"', 'class="citation-list"')
                           .replace('<summary aria-label="Toggle hidden content">', "<summary>"))


def default_to_auto_mode(app, config):
    # The pydata theme reads this from the template context, not from theme options.
    config.html_context.setdefault("default_mode", "auto")


def setup(app):
    app.setup_extension("live_code")
    app.connect("config-inited", default_to_auto_mode)
    app.connect("html-page-context", drop_thebe_scripts, priority=900)
    app.connect("html-page-context", fix_body_accessibility)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
