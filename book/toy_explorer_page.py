"""The toy-training explorer's page, as :func:`explorers.toy_training_explorer` writes it: its
CSS, its HTML template and its plain JavaScript, as strings (nothing is fetched). It imports
nothing.
"""

__all__ = ["TOY_CSS", "TOY_TEMPLATE", "TOY_JS"]

TOY_CSS = """
.bx-toy .bx-controls{display:flex;flex-wrap:wrap;gap:.6rem 1.4rem;align-items:center}
.bx-toy .bx-slider{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem;margin:.6rem 0}
.bx-toy input[type=range]{flex:1 1 14rem;accent-color:var(--bx-c0)}
.bx-toy output{font-variant-numeric:tabular-nums;min-width:9rem}
.bx-toy .bx-panels{display:flex;flex-wrap:wrap;gap:1rem}
.bx-toy .bx-panel{flex:1 1 22rem;min-width:min(100%,20rem);margin:0}
.bx-toy .bx-c0{fill:var(--bx-c0);stroke:var(--bx-c0)}
.bx-toy .bx-c1{fill:var(--bx-c1);stroke:var(--bx-c1)}
.bx-toy .bx-c2{fill:var(--bx-c2);stroke:var(--bx-c2)}
.bx-toy .bx-trail{fill:none;stroke-width:1.5;stroke-opacity:.8}
.bx-toy .bx-w1{stroke:var(--bx-muted);stroke-width:2;fill:none}
.bx-toy .bx-w1head{fill:var(--bx-muted)}
.bx-toy .bx-loss{fill:none;stroke:var(--bx-chosen);stroke-width:2}
.bx-toy .bx-now{stroke:var(--bx-muted);stroke-dasharray:3 3}
.bx-toy .bx-target{stroke:var(--bx-fg);stroke-width:2}
.bx-toy .bx-track{fill:var(--bx-surface);stroke:var(--bx-border)}
.bx-toy .bx-verdict{font-weight:600}
"""

TOY_TEMPLATE = """<div class="bx bx-toy" id="__ID__">
<style>__CSS__</style>
<p class="bx-note">__DESCRIPTION__. Choose a run, then move the slider through its
training.</p>
<div class="bx-controls">
<span><label for="__ID__-rate">Learning rate</label>
<select id="__ID__-rate">__RATE_OPTIONS__</select></span>
<span><label for="__ID__-seed">Seed</label>
<select id="__ID__-seed">__SEED_OPTIONS__</select></span>
<span><label for="__ID__-width">Width d</label>
<select id="__ID__-width">__WIDTH_OPTIONS__</select></span>
</div>
<div class="bx-slider">
<label for="__ID__-step">Training so far</label>
<input id="__ID__-step" type="range" min="0" max="__LAST__" step="1" value="__LAST__">
<output for="__ID__-step" aria-live="off"></output>
</div>
<p class="bx-verdict" aria-live="polite"></p>
<div class="bx-panels">
<figure class="bx-panel"><svg class="bx-plane" viewBox="0 0 440 326" role="img"
 aria-labelledby="__ID__-plane-caption"></svg>
<figcaption id="__ID__-plane-caption" class="bx-note">The three embeddings in the plane of
the chapter's figure: along the final W1 (what the output sees) and across it. Lines: the
way each came. Grey arrow, top right: W1's direction at this iteration.</figcaption></figure>
<figure class="bx-panel"><svg class="bx-chart" viewBox="0 0 440 196" role="img"
 aria-labelledby="__ID__-loss-caption"></svg>
<figcaption id="__ID__-loss-caption" class="bx-note">The loss (half the sum of squared errors
over the four samples) so far, against the iteration on a log scale.</figcaption>
<svg class="bx-outputs" viewBox="0 0 440 114" role="img"
 aria-labelledby="__ID__-out-caption"></svg>
<figcaption id="__ID__-out-caption" class="bx-note">The four outputs at this iteration (bars)
and their targets (black marks).</figcaption></figure>
</div>
<p class="bx-distances"></p>
<script type="application/json" class="bx-data">__DATA__</script>
<script>__JS__</script>
</div>"""

TOY_JS = r"""
(function () {
  "use strict";
  var me = document.currentScript;
  var root = me && me.closest(".bx-toy");
  if (!root || root.getAttribute("data-ready")) return;
  root.setAttribute("data-ready", "true");
  var NS = "http://www.w3.org/2000/svg";
  var data = JSON.parse(root.querySelector("script.bx-data").textContent);
  var steps = data.iterations, T = steps.length, last = steps[T - 1];
  var selects = ["rate", "seed", "width"].map(function (name) {
    return root.querySelector("#" + root.id + "-" + name);
  });
  var slider = root.querySelector("input[type=range]"), shown = root.querySelector("output");
  var verdict = root.querySelector(".bx-verdict"), distances = root.querySelector(".bx-distances");
  var plane = root.querySelector(".bx-plane"), chart = root.querySelector(".bx-chart");
  var bars = root.querySelector(".bx-outputs");
  var MARKERS = ["circle", "square", "triangle"];
  selects.forEach(function (select, i) { select.value = String(data.start[i]); });

  function el(name, attrs, parent) {
    var node = document.createElementNS(NS, name);
    for (var a in attrs) node.setAttribute(a, attrs[a]);
    if (parent) parent.appendChild(node);
    return node;
  }
  function text(parent, x, y, content, anchor) {
    var node = el("text", {x: x, y: y, "text-anchor": anchor || "start"}, parent);
    node.textContent = content;
    return node;
  }
  function marker(parent, shape, x, y, size, cls) {
    if (shape === "circle") return el("circle", {cx: x, cy: y, r: size, "class": cls}, parent);
    if (shape === "square") return el("rect", {x: x - size, y: y - size, width: 2 * size,
      height: 2 * size, "class": cls}, parent);
    return el("path", {d: "M" + x + "," + (y - 1.2 * size) + "L" + (x + 1.1 * size) + ","
      + (y + 0.8 * size) + "L" + (x - 1.1 * size) + "," + (y + 0.8 * size) + "Z",
      "class": cls}, parent);
  }
  function run() {
    return data.runs[selects.map(function (s) { return s.value; }).join("-")];
  }
  function fmt(x, digits) { return x.toFixed(digits); }

  function drawPlane(r, t) {
    plane.textContent = "";
    var L = 44, R = 430, TOP = 34, B = 292, xs = [], ys = [];
    for (var i = 0; i < r.xy.length; i += 2) {
      xs.push(r.xy[i] / 1000);
      ys.push(r.xy[i + 1] / 1000);
    }
    var x0 = Math.min(0, Math.min.apply(null, xs)), x1 = Math.max(0, Math.max.apply(null, xs));
    var y0 = Math.min.apply(null, ys), y1 = Math.max.apply(null, ys);
    var padX = 0.08 * (x1 - x0 || 1), padY = 0.1 * (y1 - y0 || 1);
    x0 -= padX; x1 += padX; y0 -= padY; y1 += padY;
    function X(v) { return L + (v - x0) / (x1 - x0) * (R - L); }
    function Y(v) { return B - (v - y0) / (y1 - y0) * (B - TOP); }
    el("line", {x1: L, y1: B, x2: R, y2: B, "class": "bx-axis"}, plane);
    el("line", {x1: L, y1: TOP, x2: L, y2: B, "class": "bx-axis"}, plane);
    el("line", {x1: X(0), y1: TOP, x2: X(0), y2: B, "class": "bx-axis",
      "stroke-dasharray": "4 3"}, plane);
    text(plane, (L + R) / 2, 318, "along the final W1 \u2192", "middle");
    var side = text(plane, 0, 0, "across W1", "middle");
    side.setAttribute("transform", "translate(16," + (TOP + B) / 2 + ") rotate(-90)");
    for (var c = 0; c < 3; c++) {
      var d = "";
      for (var s = 0; s <= t; s++) {
        d += (s ? "L" : "M") + X(xs[3 * s + c]).toFixed(1) + "," + Y(ys[3 * s + c]).toFixed(1);
      }
      el("path", {d: d, "class": "bx-trail bx-c" + c}, plane);
    }
    for (c = 0; c < 3; c++) {
      marker(plane, MARKERS[c], X(xs[3 * t + c]), Y(ys[3 * t + c]), 6, "bx-c" + c);
      marker(plane, MARKERS[c], L + 8 + 110 * c, 12, 5, "bx-c" + c);
      text(plane, L + 18 + 110 * c, 16, "category " + c);
    }
    // W1's direction now, drawn in the legend row: an arrow through a fixed point.
    var wx = r.w1[2 * t] / 100, wy = r.w1[2 * t + 1] / 100, ax = R - 14, ay = 12;
    el("line", {x1: ax - 12 * wx, y1: ay + 12 * wy, x2: ax + 12 * wx, y2: ay - 12 * wy,
      "class": "bx-w1"}, plane);
    el("circle", {cx: ax + 12 * wx, cy: ay - 12 * wy, r: 3, "class": "bx-w1head"}, plane);
    text(plane, ax - 20, 16, "W1", "end");
  }

  function drawChart(r, t) {
    chart.textContent = "";
    var L = 50, R = 430, TOP = 10, B = 150;
    var top = Math.max.apply(null, r.loss) / 10000 || 1;
    function X(step) { return L + Math.log10(step + 1) / Math.log10(last + 1) * (R - L); }
    function Y(v) { return B - v / top * (B - TOP); }
    el("line", {x1: L, y1: B, x2: R, y2: B, "class": "bx-axis"}, chart);
    el("line", {x1: L, y1: TOP, x2: L, y2: B, "class": "bx-axis"}, chart);
    for (var p = 0; p <= last; p = p ? 10 * p : 1) {
      el("line", {x1: X(p), y1: B, x2: X(p), y2: B + 4, "class": "bx-axis"}, chart);
      text(chart, X(p), B + 17, p.toLocaleString("en"), "middle");
    }
    text(chart, L - 5, TOP + 9, fmt(top, 2), "end");
    text(chart, L - 5, B, "0", "end");
    text(chart, (L + R) / 2, 190, "iteration (log scale)", "middle");
    var d = "";
    for (var s = 0; s <= t; s++) {
      d += (s ? "L" : "M") + X(steps[s]).toFixed(1) + "," + Y(r.loss[s] / 10000).toFixed(1);
    }
    el("path", {d: d, "class": "bx-loss"}, chart);
    el("line", {x1: X(steps[t]), y1: TOP, x2: X(steps[t]), y2: B, "class": "bx-now"}, chart);
  }

  function drawOutputs(r, t) {
    bars.textContent = "";
    var L = 170, R = 380;
    for (var i = 0; i < data.codes.length; i++) {
      var c = data.codes[i], y = 6 + 27 * i, value = r.out[3 * t + c] / 1000;
      text(bars, 0, y + 14, "sample " + (i + 1) + " (category " + c + ")");
      el("rect", {x: L, y: y, width: R - L, height: 18, "class": "bx-track"}, bars);
      el("rect", {x: L, y: y, width: (R - L) * value, height: 18, "class": "bx-c" + c}, bars);
      var tx = L + (R - L) * data.targets[i];
      el("line", {x1: tx, y1: y - 3, x2: tx, y2: y + 21, "class": "bx-target"}, bars);
      text(bars, R + 8, y + 14, fmt(value, 3));
    }
  }

  function draw() {
    var r = run(), t = Number(slider.value), step = steps[t].toLocaleString("en");
    var label = "iteration " + step + " of " + last.toLocaleString("en");
    shown.textContent = label;
    slider.setAttribute("aria-valuetext", label);
    drawPlane(r, t); drawChart(r, t); drawOutputs(r, t);
    var loss = r.loss[t] / 10000, cos = r.cos.slice(3 * t, 3 * t + 3).map(function (v) {
      return fmt(v / 100, 2); });
    distances.textContent = "At this iteration: loss " + fmt(loss, 4)
      + "; cosine distances between the embeddings: d(0, 1) = " + cos[0] + ", d(0, 2) = "
      + cos[1] + ", d(1, 2) = " + cos[2] + ".";
    var rate = selects[0].selectedOptions[0].textContent;
    var words = r.failed
      ? "After " + last.toLocaleString("en") + " iterations at learning rate " + rate
        + ", this run has failed: some output is on the wrong side of 0.5."
      : "After " + last.toLocaleString("en") + " iterations at learning rate " + rate
        + ", every output is on the right side of 0.5.";
    if (verdict.textContent !== words) verdict.textContent = words;   // announce changes only
    root.setAttribute("data-drawn", selects.map(function (s) { return s.value; }).join("-")
      + "@" + t);
  }
  slider.addEventListener("input", draw);
  selects.forEach(function (select) { select.addEventListener("change", draw); });
  draw();
})();
"""
