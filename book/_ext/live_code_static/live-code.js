/* Live code (book/_ext/live_code.py): a button that makes this page's code cells editable and
   runnable with thebe, against the Jupyter server named in _static/live-config.js, or in the
   link (?jupyter=URL&token=TOKEN). With no server named it does nothing and loads nothing. */
(function () {
  "use strict";
  var STORE = "book-live-code", AUTOSTART = "book-live-autostart";
  // Where the teachers' page says how live code works, from the site's root.
  var HELP = "book/teaching.html#live-code-on-the-website";
  var root = document.documentElement.getAttribute("data-content_root") || "./";
  var inputs = document.querySelectorAll("div.cell div.cell_input pre");
  if (!inputs.length) return;
  var config = document.createElement("script");
  config.src = root + "_static/live-config.js?t=" + Date.now();   // never a cached, stale one
  config.onload = offer;
  document.head.appendChild(config);

  function usable(server) {
    return server && typeof server.url === "string" && /^https?:\/\/[^\s]+$/.test(server.url);
  }
  function stored(key) {
    try { return sessionStorage.getItem(key); } catch (e) { return null; }   // private mode
  }
  function store(key, value) {
    try {
      if (value === null) sessionStorage.removeItem(key); else sessionStorage.setItem(key, value);
    } catch (e) { /* private browsing: nothing is kept */ }
  }
  // A server named in the link is kept for this browser tab (sessionStorage), and the link's
  // token leaves the address bar and the history at once.
  function chosenServer() {
    var link = new URLSearchParams(location.search), kept = null;
    if (link.get("jupyter")) {
      var fromLink = {url: link.get("jupyter").replace(/\/+$/, ""), token: link.get("token") || "",
                      kernel: link.get("kernel") || "python3"};
      if (usable(fromLink)) {
        store(STORE, JSON.stringify(fromLink));
        dropFromAddress(["jupyter", "token", "kernel"]);
        return {server: fromLink, kept: true};
      }
    }
    try { kept = JSON.parse(stored(STORE) || "null"); } catch (e) { kept = null; }
    if (usable(kept)) return {server: kept, kept: true};
    return usable(window.bookLiveCode) ? {server: window.bookLiveCode, kept: false} : null;
  }
  function dropFromAddress(names) {
    try {
      var address = new URL(location.href);
      names.forEach(function (name) { address.searchParams.delete(name); });
      history.replaceState(history.state, "", address.pathname + address.search + address.hash);
    } catch (e) { /* some browsers refuse it on file:// pages: the token stays visible */ }
  }
  // This page's name, the same on every visit: Sphinx's page name, else the path.
  function pageKey() {
    var name = (typeof DOCUMENTATION_OPTIONS !== "undefined" && DOCUMENTATION_OPTIONS.pagename)
      || location.pathname.replace(/\.html?$/, "");
    return String(name).replace(/^\/+/, "").replace(/[^a-zA-Z0-9-]+/g, "-") || "page";
  }

  function offer() {
    var chosen = chosenServer();
    if (!chosen) return;
    var server = chosen.server;
    var style = document.createElement("style");
    style.textContent = CSS;
    document.head.appendChild(style);
    var bar = document.createElement("div");
    bar.className = "book-live";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn book-live-start";
    button.textContent = "Live code: edit and run the cells";
    var status = document.createElement("p");
    status.className = "book-live-status";
    status.setAttribute("role", "status");
    status.textContent = "Runs them on the Jupyter server at " + server.url
      + (chosen.kept ? ", named by a link opened in this browser tab." : ".");
    bar.appendChild(button);
    if (chosen.kept) {                 // the link's server holds for the tab: a way out of it
      var forget = document.createElement("button");
      forget.type = "button";
      forget.className = "btn book-live-forget";
      forget.textContent = "Forget this server";
      forget.addEventListener("click", function () {
        store(STORE, null);
        store(AUTOSTART, null);
        location.reload();
      });
      bar.appendChild(forget);
    }
    bar.appendChild(status);
    var heading = Array.prototype.find.call(document.querySelectorAll("article h1, main h1"),
      function (h1) { return h1.offsetParent !== null; });     // not the print-only title
    if (heading) heading.insertAdjacentElement("afterend", bar);
    else document.querySelector("article, main, body").prepend(bar);
    var attempt = {connectFailed: false};
    button.addEventListener("click", function () {
      if (attempt.connectFailed) {     // thebe has changed the page: try again on a fresh one
        store(AUTOSTART, pageKey());
        location.reload();
        return;
      }
      start(server, button, status, attempt);
    });
    if (stored(AUTOSTART) === pageKey()) {
      store(AUTOSTART, null);
      start(server, button, status, attempt);
    }
  }

  function retry(button) {
    button.textContent = "Try again";
    button.disabled = false;
  }

  function load(tag, attributes) {
    return new Promise(function (resolve, reject) {
      var node = document.createElement(tag);
      for (var name in attributes) node.setAttribute(name, attributes[name]);
      node.onload = resolve;
      node.onerror = function () {
        node.remove();                 // so that another try loads it afresh
        reject(new Error("could not load " + (attributes.src || attributes.href)));
      };
      document.head.appendChild(node);
    });
  }

  function start(server, button, status, attempt) {
    button.disabled = true;
    status.textContent = "Loading thebe from this site\u2026";
    if (window.thebe) { connect(server, button, status, attempt); return; }
    var base = root + "_static/thebe/";
    Promise.all([load("link", {rel: "stylesheet", href: base + "thebe.css"}),
                 load("script", {src: base + "index.js"})])
      .then(function () { connect(server, button, status, attempt); })
      .catch(function () {
        var help = document.createElement("a");
        help.href = root + HELP;
        help.textContent = "how to add it";
        status.replaceChildren("This site has no copy of thebe (_static/thebe), so live code "
          + "cannot start: see ", help, ".");
        retry(button);
      });
  }

  // Jupyter keeps one kernel per session path: one per page and browser tab, so that two
  // chapters, or two readers of one class server, never share variables; a reload of the
  // page finds its kernel again. Its folder is the server's own (the chapters' folder, for
  // `tasks.py serve --live`).
  function kernelPath() {
    var page = pageKey(), key = "book-live-kernel-" + page, id = stored(key);
    if (!id) {
      id = Math.random().toString(36).slice(2, 10);
      store(key, id);
    }
    return "/" + page + "-live-" + id + ".ipynb";
  }

  // Why a kernel did not start: the browser does not say (a wrong token and a refused
  // origin both look like a network failure), so name every likely cause.
  function failed(server, button, status, attempt, detail) {
    if (document.documentElement.getAttribute("data-book-live") === "ready") {
      status.textContent = "The Jupyter server at " + server.url + " reported an error"
        + (detail ? " (" + String(detail).slice(0, 160) + ")" : "") + "; reload the page to "
        + "start again.";
      return;
    }
    var text = "Could not start a kernel on " + server.url
      + (detail ? " (" + String(detail).slice(0, 160) + ")" : "") + ". Check that the server "
      + "is running, that the token is right, and that it allows this site's origin ("
      + (location.origin === "null" ? "a file:// page's origin is null" : location.origin)
      + ").";
    var local = /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(\/|$)/.test(server.url);
    if (location.protocol === "https:" && /^http:/.test(server.url) && !local) {
      text = "This page came over https and the server's address is http: browsers refuse "
        + "that (mixed content), so the server needs https. " + text;
    }
    status.textContent = text;
    attempt.connectFailed = true;
    retry(button);
  }

  function connect(server, button, status, attempt) {
    var cells = [];
    document.querySelectorAll("div.cell").forEach(function (cell) {
      var pre = cell.querySelector(".cell_input pre"), input = cell.querySelector(".cell_input");
      if (!pre || !input) return;
      var live = document.createElement("pre");
      live.setAttribute("data-book-live", "true");
      live.setAttribute("data-language", "python");
      live.textContent = pre.textContent.replace(/\s+$/, "");
      input.replaceChildren(live);
      cells.push(cell);
    });
    var dark = document.documentElement.getAttribute("data-theme") === "dark";
    var thebe = window.thebe;
    thebe.on("status", function (event, data) {
      if (data && data.status === "error") failed(server, button, status, attempt, data.message);
    });
    var session = thebe.bootstrap({
      useBinder: false, useJupyterLite: false, requestKernel: true,
      mountStatusWidget: false, mountActivateWidget: false,
      selector: "[data-book-live]", outputSelector: "[data-book-live-output-none]",
      mathjaxUrl: "",            // no MathJax from a CDN: LaTeX outputs show as text
      serverSettings: {baseUrl: server.url, wsUrl: server.url.replace(/^http/, "ws"),
                       token: server.token, appendToken: true},
      kernelOptions: {kernelName: server.kernel || "python3", path: kernelPath()},
      // Long lines wrap: an editor that scrolls sideways is a region the keyboard cannot
      // reach (axe's scrollable-region-focusable).
      codeMirrorConfig: {theme: dark ? "abcdef" : "default", lineNumbers: false,
                         lineWrapping: true}
    });
    // The cells are drawn before thebe connects: name each editor, and let a cell's new
    // output replace the one the book was built with.
    cells.forEach(function (cell, n) {
      var editor = cell.querySelector(".CodeMirror");
      if (editor && editor.CodeMirror) {
        editor.CodeMirror.getInputField().setAttribute("aria-label", "Code of cell " + (n + 1));
      }
      var fresh = cell.querySelector(".thebe-output"), built = cell.querySelector(".cell_output");
      if (fresh && built) {
        new MutationObserver(function () {
          if (fresh.childElementCount) built.hidden = true;
        }).observe(fresh, {childList: true, subtree: true});
      }
    });
    status.textContent = "Connecting to the Jupyter server at " + server.url + "\u2026";
    session.then(function (result) {
      if (!result || !result.session) throw new Error("no kernel");
      button.textContent = "Live code is on";
      document.documentElement.setAttribute("data-book-live", "ready");
      status.textContent = "Ready: edit a cell, then press its run button or Shift+Enter. "
        + "A cell needs the ones above it: \u201crun all\u201d runs the page from the top. "
        + "Esc leaves an editor.";
    }).catch(function (error) { failed(server, button, status, attempt, error); });
  }

  var CSS = [
    ".book-live{display:flex;flex-wrap:wrap;gap:.4rem 1rem;align-items:center;margin:.5rem 0 1rem}",
    ".book-live-start,.book-live-forget{border:1px solid var(--pst-color-primary);",
    "color:var(--pst-color-primary);background:var(--pst-color-background)}",
    ".book-live-status{margin:0;color:var(--pst-color-text-base)}",
    ".thebe-cell .CodeMirror{border:1px solid var(--pst-color-border);font-size:.9em;height:auto}",
    ".thebe-controls .thebe-button{border:1px solid var(--pst-color-border);border-radius:4px;",
    "background:var(--pst-color-surface);color:var(--pst-color-text-base);margin-right:.3rem}",
    ".thebe-output .jp-OutputArea-output pre{color:var(--pst-color-text-base);",
    "background:transparent}"
  ].join("");
})();
