/* Live code (book/_ext/live_code.py): a button that makes this page's code cells editable and
   runnable with thebe, against the Jupyter server named in _static/live-config.js, or in the
   link (?jupyter=URL&token=TOKEN). With no server named it does nothing and loads nothing. */
(function () {
  "use strict";
  var STORE = "book-live-code";
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
  function chosenServer() {
    var link = new URLSearchParams(location.search), kept = null;
    if (link.get("jupyter")) {
      var fromLink = {url: link.get("jupyter").replace(/\/+$/, ""), token: link.get("token") || "",
                      kernel: link.get("kernel") || "python3"};
      if (usable(fromLink)) {
        try { sessionStorage.setItem(STORE, JSON.stringify(fromLink)); } catch (e) { /* private */ }
        return fromLink;
      }
    }
    try { kept = JSON.parse(sessionStorage.getItem(STORE) || "null"); } catch (e) { kept = null; }
    if (usable(kept)) return kept;
    return usable(window.bookLiveCode) ? window.bookLiveCode : null;
  }

  function offer() {
    var server = chosenServer();
    if (!server) return;
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
    status.textContent = "Runs them on the Jupyter server at " + server.url + ".";
    bar.appendChild(button);
    bar.appendChild(status);
    var heading = Array.prototype.find.call(document.querySelectorAll("article h1, main h1"),
      function (h1) { return h1.offsetParent !== null; });     // not the print-only title
    if (heading) heading.insertAdjacentElement("afterend", bar);
    else document.querySelector("article, main, body").prepend(bar);
    button.addEventListener("click", function () { start(server, button, status); });
  }

  function load(tag, attributes) {
    return new Promise(function (resolve, reject) {
      var node = document.createElement(tag);
      for (var name in attributes) node.setAttribute(name, attributes[name]);
      node.onload = resolve;
      node.onerror = function () { reject(new Error("could not load " + attributes.src
        + (attributes.href || ""))); };
      document.head.appendChild(node);
    });
  }

  function start(server, button, status) {
    button.disabled = true;
    status.textContent = "Loading thebe from this site\u2026";
    var base = root + "_static/thebe/";
    Promise.all([load("link", {rel: "stylesheet", href: base + "thebe.css"}),
                 load("script", {src: base + "index.js"})])
      .then(function () { connect(server, button, status); })
      .catch(function () {
        status.textContent = "This site has no copy of thebe (_static/thebe), so live code "
          + "cannot start. See \u201cUsing this book in class\u201d.";
      });
  }

  // Jupyter keeps one kernel per session path: one per page and browser tab, so that two
  // chapters, or two readers of one class server, never share variables. Its folder is
  // the server's own (the chapters' folder, for `tasks.py serve --live`).
  function kernelPath() {
    var page = (window.DOCUMENTATION_OPTIONS && DOCUMENTATION_OPTIONS.pagename || "page")
      .split("/").pop().replace(/[^a-zA-Z0-9-]/g, "-");
    var key = "book-live-kernel-" + page, id = null;
    try { id = sessionStorage.getItem(key); } catch (e) { id = null; }
    if (!id) {
      id = Math.random().toString(36).slice(2, 10);
      try { sessionStorage.setItem(key, id); } catch (e) { /* private browsing */ }
    }
    return "/" + page + "-live-" + id + ".ipynb";
  }

  function connect(server, button, status) {
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
      if (data && data.status === "error") {
        status.textContent = "Could not use the Jupyter server at " + server.url + ": "
          + (data.message || "error") + ". Is it running, and does it allow this site's origin?";
      }
    });
    var session = thebe.bootstrap({
      useBinder: false, useJupyterLite: false, requestKernel: true,
      mountStatusWidget: false, mountActivateWidget: false,
      selector: "[data-book-live]", outputSelector: "[data-book-live-output-none]",
      mathjaxUrl: "",            // no MathJax from a CDN: LaTeX outputs show as text
      serverSettings: {baseUrl: server.url, wsUrl: server.url.replace(/^http/, "ws"),
                       token: server.token, appendToken: true},
      kernelOptions: {kernelName: server.kernel || "python3", path: kernelPath()},
      codeMirrorConfig: {theme: dark ? "abcdef" : "default", lineNumbers: false}
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
    }).catch(function (error) {
      status.textContent = "Could not start a kernel on " + server.url + ": " + error
        + ". Is the server running, and does it allow this site's origin?";
    });
  }

  var CSS = [
    ".book-live{display:flex;flex-wrap:wrap;gap:.4rem 1rem;align-items:center;margin:.5rem 0 1rem}",
    ".book-live-start{border:1px solid var(--pst-color-primary);color:var(--pst-color-primary);",
    "background:var(--pst-color-background)}",
    ".book-live-status{margin:0;color:var(--pst-color-text-base)}",
    ".thebe-cell .CodeMirror{border:1px solid var(--pst-color-border);font-size:.9em;height:auto}",
    ".thebe-controls .thebe-button{border:1px solid var(--pst-color-border);border-radius:4px;",
    "background:var(--pst-color-surface);color:var(--pst-color-text-base);margin-right:.3rem}",
    ".thebe-output .jp-OutputArea-output pre{color:var(--pst-color-text-base);",
    "background:transparent}"
  ].join("");
})();
