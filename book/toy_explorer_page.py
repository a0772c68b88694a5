"""The toy-training explorer's page, as :func:`explorers.toy_training_explorer` writes it:
its CSS, its HTML template and its plain JavaScript, as strings (nothing is fetched). It
imports nothing.
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
.bx-toy .bx-legend{display:flex;flex-wrap:wrap;gap:.2rem 1rem;margin:0 0 .2rem;
font-size:.85rem}
.bx-toy .bx-legend span{display:inline-flex;align-items:center;gap:.3rem}
.bx-toy svg.bx-key{display:inline-block;width:1.1em;height:1.1em}
.bx-toy svg.bx-key-w1{width:1.6em;height:1.6em}
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
<figure class="bx-panel">
<p class="bx-legend" aria-hidden="true"></p>
<svg class="bx-plane" viewBox="0 0 440 300" role="img"
 aria-labelledby="__ID__-plane-caption"></svg>
<figcaption id="__ID__-plane-caption" class="bx-note">The three embeddings at this iteration,
in a plane built as for the chapter's figure, from this run's own weights at iteration
__LAST_ITERATION__: along the final W1 (what the output sees) and across it, with one scale
for both axes. Lines: the way each embedding came. Dashed line: zero along the final W1,
where the trained network's output is 0.5 (right of it, above 0.5). In the legend, the grey
line with a dot: W1's direction at this iteration as seen in this plane, the dot at its
head.</figcaption></figure>
<figure class="bx-panel"><svg class="bx-chart" viewBox="0 0 440 196" role="img"
 aria-labelledby="__ID__-loss-caption"></svg>
<figcaption id="__ID__-loss-caption" class="bx-note">The loss (half the sum of squared errors
over the four samples) so far, against the iteration on a log scale.</figcaption>
<svg class="bx-outputs" viewBox="0 0 440 114" role="img"
 aria-labelledby="__ID__-out-caption"></svg>
<figcaption id="__ID__-out-caption" class="bx-note">The four outputs at this iteration (bars)
and their targets (the upright marks at 0 and 1).</figcaption></figure>
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

  // Each figure is drawn in a viewBox as wide as it is on the screen (from 300 to 440
  // pixels), so that its 12-pixel text stays about 12 pixels high on a phone too.
  function widthOf(svg) {
    var width = Math.round(svg.getBoundingClientRect().width);
    return width > 0 ? Math.max(300, Math.min(440, width)) : 440;
  }
  function frame(svg, height) {
    var width = widthOf(svg);
    svg.setAttribute("viewBox", "0 0 " + width + " " + height);
    svg.textContent = "";
    return width;
  }

  // The legend, in HTML above the plane: the three markers, and W1's direction now.
  var legend = root.querySelector(".bx-legend"), w1Line, w1Head;
  for (var c = 0; c < 3; c++) {
    var item = document.createElement("span");
    var key = el("svg", {viewBox: "-8 -8 16 16", "class": "bx-key"}, item);
    marker(key, MARKERS[c], 0, 0, 5, "bx-c" + c);
    item.appendChild(document.createTextNode("category " + c));
    legend.appendChild(item);
  }
  var w1Item = document.createElement("span");
  var w1Key = el("svg", {viewBox: "-14 -14 28 28", "class": "bx-key bx-key-w1"}, w1Item);
  w1Line = el("line", {"class": "bx-w1"}, w1Key);
  w1Head = el("circle", {r: 3, "class": "bx-w1head"}, w1Key);
  w1Item.appendChild(document.createTextNode("W1 at this iteration"));
  legend.appendChild(w1Item);

  function drawPlane(r, t) {
    var width = frame(plane, 300), xs = [], ys = [];
    var L = 30, R = width - 8, TOP = 8, B = 266;
    for (var i = 0; i < r.xy.length; i += 2) {
      xs.push(r.xy[i] / 1000);
      ys.push(r.xy[i + 1] / 1000);
    }
    // The whole run fits (so the view holds still as the slider moves), with 0 along W1
    // in view; one scale for both axes, the other axis centred.
    var x0 = Math.min(0, Math.min.apply(null, xs)), x1 = Math.max(0, Math.max.apply(null, xs));
    var y0 = Math.min.apply(null, ys), y1 = Math.max.apply(null, ys);
    var padX = 0.06 * (x1 - x0 || 1), padY = 0.06 * (y1 - y0 || 1);
    x0 -= padX; x1 += padX; y0 -= padY; y1 += padY;
    var scale = Math.min((R - L) / (x1 - x0), (B - TOP) / (y1 - y0));
    var midX = (L + R) / 2 - scale * (x0 + x1) / 2, midY = (TOP + B) / 2 + scale * (y0 + y1) / 2;
    function X(v) { return midX + scale * v; }
    function Y(v) { return midY - scale * v; }
    el("line", {x1: L, y1: B, x2: R, y2: B, "class": "bx-axis"}, plane);
    el("line", {x1: L, y1: TOP, x2: L, y2: B, "class": "bx-axis"}, plane);
    el("line", {x1: X(0), y1: TOP, x2: X(0), y2: B, "class": "bx-axis",
      "stroke-dasharray": "4 3"}, plane);
    text(plane, (L + R) / 2, 290, "along the final W1 \u2192", "middle");
    var side = text(plane, 0, 0, "across W1", "middle");
    side.setAttribute("transform", "translate(14," + (TOP + B) / 2 + ") rotate(-90)");
    for (var c = 0; c < 3; c++) {
      var d = "";
      for (var s = 0; s <= t; s++) {
        d += (s ? "L" : "M") + X(xs[3 * s + c]).toFixed(1) + "," + Y(ys[3 * s + c]).toFixed(1);
      }
      el("path", {d: d, "class": "bx-trail bx-c" + c}, plane);
    }
    for (c = 0; c < 3; c++) {
      marker(plane, MARKERS[c], X(xs[3 * t + c]), Y(ys[3 * t + c]), 6, "bx-c" + c);
    }
    // W1's direction now, in the legend: a line through the key's centre, a dot at its head.
    var wx = r.w1[2 * t] / 100, wy = r.w1[2 * t + 1] / 100;
    w1Line.setAttribute("x1", -10 * wx); w1Line.setAttribute("y1", 10 * wy);
    w1Line.setAttribute("x2", 10 * wx); w1Line.setAttribute("y2", -10 * wy);
    w1Head.setAttribute("cx", 10 * wx); w1Head.setAttribute("cy", -10 * wy);
  }

  function drawChart(r, t) {
    var width = frame(chart, 196);
    var L = 50, R = width - 16, TOP = 10, B = 150;
    var top = Math.max.apply(null, r.loss) / 10000 || 1;
    function X(step) { return L + Math.log10(step + 1) / Math.log10(last + 1) * (R - L); }
    function Y(v) { return B - v / top * (B - TOP); }
    el("line", {x1: L, y1: B, x2: R, y2: B, "class": "bx-axis"}, chart);
    el("line", {x1: L, y1: TOP, x2: L, y2: B, "class": "bx-axis"}, chart);
    for (var p = 0; p <= last; p = p ? 10 * p : 1) {
      el("line", {x1: X(p), y1: B, x2: X(p), y2: B + 4, "class": "bx-axis"}, chart);
      text(chart, X(p), B + 17, p.toLocaleString("en"), p ? "middle" : "end");
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
    var width = frame(bars, 114), labels = [], L = 0;
    for (var i = 0; i < data.codes.length; i++) {
      labels.push(text(bars, 0, 20 + 27 * i, "sample " + (i + 1) + " (category "
        + data.codes[i] + ")"));
      L = Math.max(L, labels[i].getComputedTextLength());
    }
    L = (L || 140) + 10;                         // the labels' width, then the bars
    var R = width - 46;
    for (i = 0; i < data.codes.length; i++) {
      var c = data.codes[i], y = 6 + 27 * i, value = r.out[3 * t + c] / 1000;
      el("rect", {x: L, y: y, width: R - L, height: 18, "class": "bx-track"}, bars);
      el("rect", {x: L, y: y, width: (R - L) * value, height: 18, "class": "bx-c" + c}, bars);
      var tx = L + (R - L) * data.targets[i];
      el("line", {x1: tx, y1: y - 3, x2: tx, y2: y + 21, "class": "bx-target"}, bars);
      text(bars, R + 6, y + 14, fmt(value, 3));
    }
  }

  var drawnWidths = "";
  function draw() {
    var r = run(), t = Number(slider.value), step = steps[t].toLocaleString("en");
    var label = "iteration " + step + " of " + last.toLocaleString("en");
    shown.textContent = label;
    slider.setAttribute("aria-valuetext", label);
    drawPlane(r, t); drawChart(r, t); drawOutputs(r, t);
    drawnWidths = [plane, chart, bars].map(widthOf).join();
    var loss = r.loss[t] / 10000, cos = r.cos.slice(3 * t, 3 * t + 3).map(function (v) {
      return fmt(v / 100, 2); });
    var outputs = data.codes.map(function (c) { return fmt(r.out[3 * t + c] / 1000, 3); });
    distances.textContent = "At this iteration: loss " + fmt(loss, 4) + "; outputs of the "
      + "four samples (targets " + data.targets.join(", ") + "): " + outputs.join(", ")
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
  if (window.ResizeObserver) {                   // redrawn when a figure's width changes
    new ResizeObserver(function () {
      if ([plane, chart, bars].map(widthOf).join() !== drawnWidths) draw();
    }).observe(root);
  }
  slider.addEventListener("input", draw);
  selects.forEach(function (select) { select.addEventListener("change", draw); });
  draw();
})();
"""
