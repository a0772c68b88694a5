"""The film explorer's page, as :func:`explorers.film_explorer` writes it: its CSS, its HTML
template and its plain JavaScript, as strings (nothing is fetched). It imports nothing.
"""

__all__ = ["FILM_CSS", "FILM_TEMPLATE", "FILM_JS"]

FILM_CSS = """
.bx-film .bx-search{position:relative;max-width:34rem}
.bx-film input[type=text]{width:100%;box-sizing:border-box}
.bx-film [role=listbox]{position:absolute;z-index:20;left:0;right:0;margin:2px 0 0;
padding:0;list-style:none;background:var(--bx-bg);border:1px solid var(--bx-border);
border-radius:4px;box-shadow:0 4px 10px rgba(0,0,0,.25);max-height:16rem;overflow-y:auto}
.bx-film [role=option]{padding:.3rem .5rem;cursor:pointer}
.bx-film [role=option][aria-selected=true],.bx-film [role=option]:hover{
background:var(--bx-surface);outline:2px solid var(--bx-focus);outline-offset:-2px}
.bx-film .bx-count{color:var(--bx-muted);font-size:.85em}
.bx-film .bx-columns{display:flex;flex-wrap:wrap;gap:1rem;margin-top:.6rem}
.bx-film .bx-side{flex:1 1 16rem;min-width:14rem}
.bx-film .bx-mapbox{flex:2 1 22rem;min-width:16rem;margin:0}
.bx-film ol{margin:0;padding-left:1.6rem}
.bx-film ol button{display:flex;width:100%;gap:.5rem;align-items:baseline;text-align:left;
background:none;border:0;border-bottom:1px solid var(--bx-border);padding:.2rem .1rem;
cursor:pointer}
.bx-film ol button:hover{background:var(--bx-surface)}
.bx-film .bx-name{flex:1}
.bx-film .bx-sim{font-variant-numeric:tabular-nums}
.bx-film .bx-sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);
white-space:nowrap}
.bx-film .bx-bar{display:inline-block;height:.55rem;background:var(--bx-near);
border-radius:2px;flex:none}
.bx-film .bx-pt{fill:var(--bx-muted);fill-opacity:.7;cursor:pointer}
.bx-film .bx-pt:focus{outline:none}
.bx-film .bx-near{fill:var(--bx-near);stroke:var(--bx-bg);stroke-width:1}
.bx-film .bx-link{stroke:var(--bx-near);stroke-width:1.2;stroke-opacity:.7}
.bx-film .bx-chosen{fill:var(--bx-chosen);stroke:var(--bx-fg);stroke-width:1.5}
.bx-film .bx-tip rect{fill:var(--bx-bg);stroke:var(--bx-border)}
.bx-film .bx-label{font-weight:600}
.bx-film .bx-ring{fill:none;stroke:var(--bx-focus);stroke-width:3}
"""

FILM_TEMPLATE = """<div class="bx bx-film" id="__ID__">
<style>__CSS__</style>
<p class="bx-note">__DESCRIPTION__</p>
<div class="bx-search">
<label for="__ID__-input">Find a film</label>
<input id="__ID__-input" type="text" role="combobox" aria-autocomplete="list"
 aria-expanded="false" aria-controls="__ID__-options" autocomplete="off" spellcheck="false"
 aria-describedby="__ID__-status" placeholder="type part of a title, e.g. star wars">
<ul id="__ID__-options" role="listbox" aria-label="Films that match" hidden></ul>
<p id="__ID__-status" class="bx-note" aria-live="polite">Type part of a title, then pick a
film with the arrow keys and Enter, or with the mouse.</p>
</div>
<div class="bx-columns">
<div class="bx-side">
<p class="bx-heading" tabindex="-1"></p>
<ol class="bx-neighbours"></ol>
</div>
<figure class="bx-mapbox">
<svg viewBox="0 0 480 400" role="group" aria-label="Map of the __N__ films: each film is a
 point; the arrow keys move between nearby points, Enter chooses one"></svg>
<figcaption class="bx-note">Hover over or tab to a point to see the film; click it or press
Enter to choose it. The chosen film is the large point, its neighbours are joined to it.
The map keeps two directions of many: neighbours can lie far apart on it.</figcaption>
</figure>
</div>
<script type="application/json" class="bx-data">__DATA__</script>
<script>__JS__</script>
</div>"""

FILM_JS = r"""
(function () {
  "use strict";
  var me = document.currentScript;
  var root = me && me.closest(".bx-film");
  if (!root || root.getAttribute("data-ready")) return;
  root.setAttribute("data-ready", "true");
  var id = root.id, NS = "http://www.w3.org/2000/svg";
  var data = JSON.parse(root.querySelector("script.bx-data").textContent);
  var titles = data.titles, counts = data.n, k = data.k, n = titles.length;
  var input = root.querySelector("[role=combobox]"), box = root.querySelector("[role=listbox]");
  var status = root.querySelector("#" + id + "-status");
  var heading = root.querySelector(".bx-heading"), list = root.querySelector(".bx-neighbours");
  var svg = root.querySelector("svg");
  var W = 480, H = 400, PAD = 12;

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[^a-z0-9]+/g, " ").trim();
  }
  var keys = titles.map(fold);
  function el(name, attrs, parent) {
    var node = document.createElementNS(NS, name);
    for (var a in attrs) node.setAttribute(a, attrs[a]);
    if (parent) parent.appendChild(node);
    return node;
  }
  function ratings(i) { return counts[i].toLocaleString("en") + " " + data.label; }
  var INSTRUCTION = status.textContent.replace(/\s+/g, " ").trim();

  // ---- search: a combobox with a list of suggestions --------------------------------
  var LISTED = 8, matches = [], active = -1, total = 0;
  // The films whose title holds every word typed: the first LISTED of them (titles that
  // start with the text, then those with a word that does, then the rest; within each,
  // the most rated first). `total` counts them all.
  function search(text) {
    var words = fold(text).split(" ").filter(Boolean), whole = words.join(" "), found = [];
    total = 0;
    if (!words.length) return [];
    for (var i = 0; i < n; i++) {
      var key = keys[i];
      if (!words.every(function (w) { return key.indexOf(w) >= 0; })) continue;
      var rank = key.indexOf(whole) === 0 ? 0 : (" " + key).indexOf(" " + whole) >= 0 ? 1 : 2;
      found.push([rank, -counts[i], i]);
    }
    found.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1] || a[2] - b[2]; });
    total = found.length;
    return found.slice(0, LISTED).map(function (f) { return f[2]; });
  }
  function shortened(text) { return text.length > 40 ? text.slice(0, 40) + "\u2026" : text; }
  function matchStatus(text) {
    if (text === "") return INSTRUCTION;
    if (total === 0) {
      return "No film here matches \u201c" + shortened(text) + "\u201d: only the "
        + n.toLocaleString("en") + " films with at least " + data.min + " " + data.label
        + " are here.";
    }
    return (total === 1 ? "1 film matches" : total.toLocaleString("en") + " films match")
      + (total > matches.length ? "; the first " + matches.length + " are listed" : "")
      + ": arrow keys to move, Enter to choose.";
  }
  function showOptions() {
    box.textContent = "";
    matches.forEach(function (film, j) {
      var li = document.createElement("li");
      li.id = id + "-option-" + j;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", j === active ? "true" : "false");
      li.textContent = titles[film] + " ";
      var small = document.createElement("span");
      small.className = "bx-count";
      small.textContent = "(" + ratings(film) + ")";
      li.appendChild(small);
      li.addEventListener("mousedown", function (event) { event.preventDefault(); });
      li.addEventListener("click", function () { pick(film); });
      box.appendChild(li);
    });
    var open = matches.length > 0;
    box.hidden = !open;
    input.setAttribute("aria-expanded", open ? "true" : "false");
    if (active >= 0) {
      input.setAttribute("aria-activedescendant", id + "-option-" + active);
      box.children[active].scrollIntoView({block: "nearest"});
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }
  function close() { matches = []; active = -1; showOptions(); }
  function pick(film) {
    input.value = titles[film];
    close();
    choose(film);
    status.textContent = "Chosen: " + titles[film] + ". Its neighbours are listed below.";
  }
  input.addEventListener("input", function () {
    matches = search(input.value);
    active = -1;
    showOptions();
    status.textContent = matchStatus(input.value.trim());
  });
  input.addEventListener("keydown", function (event) {
    var key = event.key;
    if (key === "ArrowDown" || key === "ArrowUp") {
      if (!matches.length) matches = search(input.value);
      if (!matches.length) return;
      event.preventDefault();
      var step = key === "ArrowDown" ? 1 : -1;
      active = active < 0 ? (step > 0 ? 0 : matches.length - 1)
        : (active + step + matches.length) % matches.length;
      showOptions();
    } else if (key === "Enter") {
      if (!matches.length) return;
      event.preventDefault();
      pick(matches[Math.max(active, 0)]);
    } else if (key === "Escape") {
      if (matches.length) {
        event.preventDefault();
        close();
        status.textContent = "Suggestions closed: the down arrow opens them again, Escape "
          + "clears the field.";
      } else if (input.value) {
        event.preventDefault();
        input.value = "";
        status.textContent = INSTRUCTION;
      }
    }
  });
  input.addEventListener("blur", function () { setTimeout(close, 150); });

  // ---- the map --------------------------------------------------------------------
  var xs = data.x, ys = data.y;
  var xmin = Math.min.apply(null, xs), xmax = Math.max.apply(null, xs);
  var ymin = Math.min.apply(null, ys), ymax = Math.max.apply(null, ys);
  // The map keeps the data's proportions: its height follows their spread.
  H = Math.round(Math.min(440, Math.max(260, PAD * 2 + (W - 2 * PAD) * (ymax - ymin)
    / ((xmax - xmin) || 1))));
  svg.setAttribute("viewBox", "0 0 " + W + " " + H);
  var scale = Math.min((W - 2 * PAD) / ((xmax - xmin) || 1), (H - 2 * PAD) / ((ymax - ymin) || 1));
  var px = xs.map(function (x) { return PAD + (x - xmin) * scale; });
  var py = ys.map(function (y) { return H - PAD - (y - ymin) * scale; });
  var pointLayer = el("g", {}, svg), linkLayer = el("g", {"aria-hidden": "true"}, svg);
  var topLayer = el("g", {"aria-hidden": "true"}, svg);
  var ring = el("circle", {"class": "bx-ring", r: 9, "aria-hidden": "true",
    visibility: "hidden"}, svg);
  var tip = el("g", {"class": "bx-tip", "aria-hidden": "true", visibility: "hidden"}, svg);
  var tipBox = el("rect", {rx: 3, height: 20}, tip), tipText = el("text", {}, tip);
  var points = titles.map(function (title, i) {
    var dot = el("circle", {"class": "bx-pt", cx: px[i].toFixed(1), cy: py[i].toFixed(1), r: 3.5,
      tabindex: -1, role: "button", "aria-label": title + ", " + ratings(i)}, pointLayer);
    dot.addEventListener("focus", function () {
      showTip(i);
      ring.setAttribute("cx", px[i]); ring.setAttribute("cy", py[i]);
      ring.setAttribute("visibility", "visible");
    });
    dot.addEventListener("blur", function () {
      hideTip();
      ring.setAttribute("visibility", "hidden");
    });
    dot.addEventListener("keydown", function (event) { mapKey(event, i); });
    return dot;
  });
  function showTip(i) {
    tipText.textContent = titles[i];
    var width = tipText.getComputedTextLength() + 10;
    var x = px[i] + 8, y = py[i] - 26;
    if (x + width > W) x = px[i] - 8 - width;
    if (y < 0) y = py[i] + 8;
    tipBox.setAttribute("x", x); tipBox.setAttribute("y", y); tipBox.setAttribute("width", width);
    tipText.setAttribute("x", x + 5); tipText.setAttribute("y", y + 14);
    tip.setAttribute("visibility", "visible");
  }
  function hideTip() { tip.setAttribute("visibility", "hidden"); }
  function nearestTo(event, limit) {
    var m = svg.getScreenCTM();
    if (!m) return -1;
    var p = new DOMPoint(event.clientX, event.clientY).matrixTransform(m.inverse());
    var best = -1, bestDistance = limit * limit;
    for (var i = 0; i < n; i++) {
      var d = (px[i] - p.x) * (px[i] - p.x) + (py[i] - p.y) * (py[i] - p.y);
      if (d < bestDistance) { best = i; bestDistance = d; }
    }
    return best;
  }
  svg.addEventListener("mousemove", function (event) {
    var i = nearestTo(event, 12);
    if (i >= 0) showTip(i); else hideTip();
  });
  svg.addEventListener("mouseleave", hideTip);
  svg.addEventListener("click", function (event) {
    var i = nearestTo(event, 12);
    if (i >= 0) { choose(i); input.value = titles[i]; }
  });
  var DIRECTIONS = {ArrowRight: [1, 0], ArrowLeft: [-1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1]};
  function mapKey(event, i) {
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      choose(i);
      input.value = titles[i];
      points[i].focus();
      return;
    }
    var dir = DIRECTIONS[event.key];
    if (!dir) return;
    event.preventDefault();
    // The next point that way: far along the arrow's direction counts less than far off it.
    var best = -1, bestScore = Infinity;
    for (var j = 0; j < n; j++) {
      var dx = px[j] - px[i], dy = py[j] - py[i];
      var along = dx * dir[0] + dy * dir[1], off = Math.abs(dx * dir[1] - dy * dir[0]);
      if (along <= 0.5 || off > 2 * along) continue;
      var score = along + 2 * off;
      if (score < bestScore) { best = j; bestScore = score; }
    }
    if (best >= 0) { roving(best); points[best].focus(); }
  }
  function roving(i) {
    points.forEach(function (dot, j) { dot.setAttribute("tabindex", j === i ? "0" : "-1"); });
  }

  // ---- choosing a film: its neighbours, listed and drawn -----------------------------
  var current = -1;
  function choose(film) {
    current = film;
    heading.textContent = "";
    heading.appendChild(document.createTextNode("Nearest neighbours of "));
    var name = document.createElement("strong");
    name.textContent = titles[film];
    heading.appendChild(name);
    heading.appendChild(document.createTextNode(" (" + ratings(film)
      + "), with their cosine similarity:"));
    list.textContent = "";
    linkLayer.textContent = "";
    topLayer.textContent = "";
    for (var j = 0; j < k; j++) {
      var other = data.nb[film * k + j], similarity = data.sim[film * k + j];
      var li = document.createElement("li"), button = document.createElement("button");
      button.type = "button";
      button.setAttribute("data-film", other);
      var label = document.createElement("span");
      label.className = "bx-name";
      label.textContent = titles[other];
      var bar = document.createElement("span");
      bar.className = "bx-bar";
      bar.setAttribute("aria-hidden", "true");
      bar.style.width = (Math.max(similarity, 0) * 4).toFixed(2) + "rem";
      var value = document.createElement("span");
      value.className = "bx-sim";
      value.textContent = similarity.toFixed(3);
      // Named "title, cosine similarity 0.576" for a screen reader, not "title0.576".
      var spoken = document.createElement("span");
      spoken.className = "bx-sr";
      spoken.textContent = ", cosine similarity";
      button.appendChild(label); button.appendChild(spoken); button.appendChild(bar);
      button.appendChild(value);
      button.addEventListener("click", (function (target) {
        return function () { choose(target); input.value = titles[target]; heading.focus(); };
      })(other));
      li.appendChild(button);
      list.appendChild(li);
      el("line", {"class": "bx-link", x1: px[film], y1: py[film], x2: px[other], y2: py[other]},
        linkLayer);
      el("circle", {"class": "bx-near", cx: px[other], cy: py[other], r: 5}, topLayer);
    }
    el("circle", {"class": "bx-chosen", cx: px[film], cy: py[film], r: 7.5}, topLayer);
    var label = el("text", {"class": "bx-label", x: px[film] + 10, y: py[film] + 4}, topLayer);
    label.textContent = titles[film];
    var length = label.getComputedTextLength();
    if (px[film] + 10 + length > W) {           // no room on the right: left, or above
      var left = px[film] - 10 - length;
      label.setAttribute("x", left >= 0 ? left : Math.max(0, Math.min(px[film] - length / 2,
        W - length)));
      if (left < 0) label.setAttribute("y", py[film] + (py[film] > 24 ? -12 : 22));
    }
    roving(film);
    root.setAttribute("data-chosen", titles[film]);
  }
  choose(data.start);
})();
"""
