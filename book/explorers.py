"""Two interactive explorers for the book's pages: film neighbours, and the toy's training.

Each explorer is one self-contained piece of HTML: its data as JSON in a
``<script type="application/json">``, its CSS and its plain JavaScript (SVG drawing) inline.
Nothing is loaded from anywhere, so it works on the website served or opened from disk
(``file://``), and in JupyterLab when a reader runs the cell. Everything is computed here,
in Python, when the page is built: the browser only looks things up and draws.

- :func:`film_explorer`: search a film, see its nearest neighbours by cosine similarity,
  and a 2-D map of the films; the result also says how faithful that map is.
- :func:`toy_training_runs` trains the three-category toy of chapters 2 and 3 with the
  book's NumPy network under several learning rates, seeds and widths;
  :func:`toy_training_explorer` replays those runs with a slider.

Both are usable with the keyboard, follow the website's light or dark mode (the theme's
CSS variables, with fallbacks for JupyterLab) and use the Okabe-Ito colours. Bad input
raises a ``ValueError`` that says what is wrong. Needs NumPy and IPython only.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import numbers
from html import escape
from typing import Any

import numpy as np
from IPython.display import HTML

__all__ = ["Explorer", "FilmExplorer", "film_explorer", "toy_training_runs",
           "toy_training_explorer", "TOY_CODES", "TOY_TARGETS"]

TOY_CODES = (0, 1, 2, 2)
"""The toy's four samples: their categories ..."""
TOY_TARGETS = (1, 1, 0, 0)
"""... and their targets (chapters 1 to 4)."""

# Okabe-Ito colours (helpers.OKABE_ITO), repeated so this module needs no other import.
_BLUE, _ORANGE, _GREEN, _VERMILLION, _SKY = "#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9"
_counter = itertools.count(1)


class Explorer(HTML):
    """An explorer's HTML, shown by Jupyter and MyST-NB like ``IPython.display.HTML``.

    ``n_items`` is how many films (or training runs) it holds and ``n_bytes`` what it adds
    to a page, both plain ints that ``helpers.glue_value`` can glue into the prose.
    """

    def __init__(self, html: str, n_items: int, description: str):
        super().__init__(html)
        self.n_items = int(n_items)
        self.n_bytes = len(html.encode("utf-8"))
        self.description = description

    def __repr__(self):
        return f"<Explorer: {self.description}; {self.n_bytes:,} bytes>"


class FilmExplorer(Explorer):
    """The film explorer, and how faithful its map is (for the prose around it).

    ``map_variance_kept``: the share of the shown films' variance that the map's two
    principal components keep (``None`` when the map's coordinates were given).
    ``neighbour_map_rank``: for each shown film, where its nearest neighbour (by cosine
    similarity, in all dimensions) comes among the other films by distance on the map: 1 if
    it is also the closest point on the map, 1 + the number of films closer otherwise.
    ``neighbours_apart_on_map``: how many films lie farther on the map from their nearest
    neighbour than the median distance between two shown films. The last two are computed
    on first use (they need every pair of films).
    """

    def __init__(self, html, n_items, description, plane, nearest, variance_kept):
        super().__init__(html, n_items, description)
        self.map_variance_kept = variance_kept
        self._plane, self._nearest = plane, nearest
        self._ranks = self._apart = None

    @property
    def neighbour_map_rank(self) -> np.ndarray:
        if self._ranks is None:
            self._measure_map()
        return self._ranks

    @property
    def neighbours_apart_on_map(self) -> int:
        if self._apart is None:
            self._measure_map()
        return self._apart

    def _measure_map(self, block: int = 512) -> None:
        plane, nearest = self._plane, self._nearest
        n = len(plane)
        ranks, gaps, pair_gaps = np.empty(n, dtype=np.int64), np.empty(n), []
        for start in range(0, n, block):
            rows = np.arange(start, min(start + block, n))
            distance = np.linalg.norm(plane[rows, None, :] - plane[None, :, :], axis=-1)
            gap = distance[np.arange(len(rows)), nearest[rows]]
            distance[np.arange(len(rows)), rows] = np.inf            # not itself
            ranks[rows] = 1 + np.sum(distance < gap[:, None], axis=1)
            gaps[rows] = gap
            for i, row in enumerate(rows):                           # each pair once
                pair_gaps.append(distance[i, row + 1:])
        self._ranks = ranks
        self._apart = int(np.sum(gaps > np.median(np.concatenate(pair_gaps))))


# --------------------------------------------------------------------------
# Input checks
# --------------------------------------------------------------------------

def _positive_int(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"{name} must be a positive whole number, got {value!r}")
    return int(value)


def _finite_array(value: Any, name: str, ndim: int) -> np.ndarray:
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be an array of numbers") from None
    if array.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-D, got an array of shape {array.shape}")
    if not np.isfinite(array).all():
        raise ValueError(f"{name} contains NaN or infinity")
    return array


def _element_id(prefix: str, payload: str) -> str:
    """An id unique on the page, the same on every build: a digest of the data and a count."""
    digest = hashlib.sha1(payload.encode("utf-8")).hexdigest()[:8]
    return f"{prefix}-{digest}-{next(_counter)}"


def _json_for_script(data: Any) -> str:
    """JSON safe inside <script>: no "</script>" or "<!--" can end it early."""
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


# --------------------------------------------------------------------------
# Film explorer
# --------------------------------------------------------------------------

def film_explorer(vectors, titles, n_ratings, coords=None, min_ratings: int = 50, k: int = 10,
                  map_label: str | None = None, count_label: str = "ratings",
                  max_bytes: int = 400_000) -> FilmExplorer:
    """A searchable film explorer: nearest neighbours by cosine similarity, and a 2-D map.

    ``vectors`` (n, d) holds one learned vector per film, in the order of ``titles`` and
    ``n_ratings`` (n each; a pandas column will do). Only the films with at least
    ``min_ratings`` ratings are shown (a film rated a few times has a vector that means
    little), and their ``k`` nearest neighbours are found among those films, from all d
    dimensions, here in Python: the page carries each film's neighbours as indices and
    similarities rounded to 3 decimals, and map positions rounded to 3 decimals.

    ``coords`` (n, 2) places the films on the map; by default it is the first two
    principal components of the shown films' vectors. ``map_label`` says in words what the
    map shows when ``coords`` is given. ``count_label`` names what ``n_ratings`` counts, as
    the page shows it ("training ratings" when the counts come from a training set).
    Returns a :class:`FilmExplorer`: ``n_items`` is the number of films shown, ``n_bytes``
    what it adds to the page, at most ``max_bytes`` (the book's browser tests allow a
    chapter 500 kB beyond the theme's own page); it also measures how faithful the map is.
    """
    vectors = _finite_array(vectors, "vectors", 2)
    n_rows, width = vectors.shape
    if isinstance(titles, (str, bytes)):
        raise ValueError("titles must be a sequence of titles, one per row of vectors, not "
                         "a single string")
    try:
        titles = list(titles)
    except TypeError:
        raise ValueError("titles must be a sequence of titles, one per row of vectors") from None
    counts = np.asarray(n_ratings)
    lengths = {"titles": len(titles), "n_ratings": len(counts) if counts.ndim else -1}
    for name, length in lengths.items():
        if length != n_rows:
            hint = (" If the first row of vectors is the out-of-vocabulary row, drop it: "
                    "vectors[1:]." if length == n_rows - 1 else "")
            raise ValueError(f"vectors has {n_rows} rows but {name} has "
                             f"{'no length' if length < 0 else length}; they must match "
                             f"row for row.{hint}")
    if counts.ndim != 1 or counts.dtype == bool or not np.issubdtype(counts.dtype, np.number):
        raise ValueError("n_ratings must be a 1-D sequence of whole numbers")
    if not np.isfinite(counts).all() or np.any(counts < 0) or np.any(counts != np.round(counts)):
        raise ValueError("n_ratings must hold whole numbers >= 0")
    counts = counts.astype(np.int64)
    min_ratings, k = _positive_int(min_ratings, "min_ratings"), _positive_int(k, "k")
    max_bytes = _positive_int(max_bytes, "max_bytes")
    if not isinstance(count_label, str) or not 0 < len(count_label.strip()) <= 40:
        raise ValueError(f"count_label must be a short text (1 to 40 characters) saying what "
                         f"n_ratings counts, e.g. 'training ratings'; got {count_label!r}")
    count_label = " ".join(count_label.split())
    if width < 2:
        raise ValueError(f"vectors must have at least 2 columns, got {width}")
    shown = np.flatnonzero(counts >= min_ratings)
    if len(shown) < k + 1:
        raise ValueError(f"only {len(shown)} films have at least {min_ratings} ratings; "
                         f"k = {k} neighbours need at least {k + 1}: lower min_ratings or k")
    bad_titles = [int(i) for i in shown if not isinstance(titles[i], str) or not titles[i].strip()]
    if bad_titles:
        raise ValueError(f"row {bad_titles[0]} is shown but its title is "
                         f"{titles[bad_titles[0]]!r}; every shown film needs a title")
    chosen = vectors[shown]
    norms = np.linalg.norm(chosen, axis=1)
    if np.any(norms == 0):
        raise ValueError(f"row {int(shown[np.argmin(norms)])} is the zero vector: it has no "
                         f"direction, so no cosine similarity")
    variance_kept = None
    if coords is None:
        plane, variance_kept = _principal_plane(chosen)
        map_label = map_label or (f"the first two principal components of these films' "
                                  f"{width}-dimensional vectors")
    else:
        coords = _finite_array(coords, "coords", 2)
        if coords.shape != (n_rows, 2):
            raise ValueError(f"coords must have shape ({n_rows}, 2), one point per row of "
                             f"vectors; got {coords.shape}")
        plane = coords[shown]
        map_label = map_label or "the coordinates given"
    neighbours, similarities = _cosine_neighbours(chosen, k)
    spread = np.abs(plane - plane.mean(axis=0)).max()
    plane = (plane - plane.mean(axis=0)) / (spread if spread > 0 else 1.0)

    description = (f"{len(shown):,} films, those with at least {min_ratings} {count_label}. "
                   f"Neighbours: the {k} films among them whose vectors have the largest cosine "
                   f"similarity with the chosen film's (all {width} dimensions). "
                   f"Map: {map_label}.")
    data = {"titles": [titles[i].strip() for i in shown], "n": counts[shown].tolist(),
            "x": np.round(plane[:, 0], 3).tolist(), "y": np.round(plane[:, 1], 3).tolist(),
            "k": k, "nb": neighbours.ravel().tolist(),
            "sim": np.round(similarities, 3).ravel().tolist(),
            "start": int(np.argmax(counts[shown])), "label": count_label, "min": min_ratings}
    payload = _json_for_script(data)
    element = _element_id("film-explorer", payload)
    html = (_FILM_TEMPLATE.replace("__ID__", element)
            .replace("__DESCRIPTION__", escape(description))
            .replace("__N__", f"{len(shown):,}")
            .replace("__CSS__", _COMMON_CSS + _FILM_CSS)
            .replace("__DATA__", payload)
            .replace("__JS__", _FILM_JS))
    explorer = FilmExplorer(html, len(shown), description, plane, neighbours[:, 0],
                            variance_kept)
    if explorer.n_bytes > max_bytes:
        raise ValueError(f"the explorer of {len(shown):,} films would add "
                         f"{explorer.n_bytes / 1e3:,.0f} kB to the page, more than max_bytes = "
                         f"{max_bytes / 1e3:,.0f} kB: show fewer films (a higher min_ratings) "
                         f"or fewer neighbours (a smaller k)")
    return explorer


def _principal_plane(vectors: np.ndarray) -> tuple[np.ndarray, float]:
    """Coordinates on the first two principal components, each sign fixed so that the
    largest loading is positive (so a rebuild draws the same map, not a mirror image), and
    the share of the variance they keep."""
    centred = vectors - vectors.mean(axis=0)
    _, singular, directions = np.linalg.svd(centred, full_matrices=False)
    directions = directions[:2]
    largest = directions[np.arange(2), np.argmax(np.abs(directions), axis=1)]
    total = float(np.sum(singular ** 2))
    kept = float(np.sum(singular[:2] ** 2) / total) if total > 0 else 1.0
    return centred @ (directions * np.sign(largest)[:, None]).T, kept


def _cosine_neighbours(vectors: np.ndarray, k: int, block: int = 512):
    """For each row, the k other rows most cosine-similar to it (best first) and the
    similarities; ties go to the lower row, as in ``movielens.nearest_neighbours``.

    Works through the rows a block at a time, so thousands of films need no n x n matrix.
    """
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    n = len(unit)
    order, best = np.empty((n, k), dtype=np.int64), np.empty((n, k))
    for start in range(0, n, block):
        rows = np.arange(start, min(start + block, n))
        similarity = unit[rows] @ unit.T
        similarity[np.arange(len(rows)), rows] = -np.inf          # not its own neighbour
        kth = -np.partition(-similarity, k - 1, axis=1)[:, k - 1]  # each row's k-th largest
        for i, row in enumerate(rows):
            candidates = np.flatnonzero(similarity[i] >= kth[i])   # the top k and any ties
            ranked = candidates[np.lexsort((candidates, -similarity[i, candidates]))][:k]
            order[row], best[row] = ranked, similarity[i, ranked]
    return order, best


# --------------------------------------------------------------------------
# Toy-training explorer
# --------------------------------------------------------------------------

def toy_training_runs(learning_rates=(0.01, 0.1, 10.0, 100.0), seeds=(0, 1, 2),
                      widths=(5, 20, 50), iterations: int = 5_000,
                      n_snapshots: int = 60) -> dict:
    """Train the toy (codes 0, 1, 2, 2; targets 1, 1, 0, 0) once per learning rate, seed and
    width with the book's NumPy network, and record ``n_snapshots`` moments of each run.

    Each (seed, width) starts from ``helpers.init_weights(3, width, default_rng(seed))``,
    the same start for every learning rate, so runs differ only in what is chosen; seed 0
    and width 5 start where chapters 2 and 3 start. The snapshots are spaced evenly on a
    log scale of the iteration, since most of the motion happens early.

    Returns a dict: ``iterations`` (the snapshot iterations), the three settings lists, and
    ``runs[(learning_rate, seed, width)]`` with, at each snapshot, ``plane_xy`` (3, 2): the
    three embeddings in ``helpers.embedding_plane`` of the run's final weights (the plane of
    chapter 3's figure), ``w1_xy`` (2,): W1's direction in that plane, ``outputs`` (3,):
    the output for each category, ``loss``: the half sum of squared errors over the four
    samples, ``cosine_distances`` (3,): for the pairs (0, 1), (0, 2), (1, 2); and at the
    end ``final_mae`` and ``failed``: some output is on the wrong side of 0.5.
    """
    from helpers import embedding_plane, forward, init_weights, loss_and_gradients, train_network

    rates = _settings(learning_rates, "learning_rates", positive=True)
    seeds = [int(s) for s in _settings(seeds, "seeds", whole=True)]
    widths = [int(w) for w in _settings(widths, "widths", whole=True, positive=True)]
    if min(widths) < 2:
        raise ValueError("every width must be at least 2: the picture is a plane")
    iterations, n_snapshots = _positive_int(iterations, "iterations"), _positive_int(
        n_snapshots, "n_snapshots")
    if n_snapshots < 2:
        raise ValueError("n_snapshots must be at least 2 (the start and the end)")
    steps = np.unique(np.round(np.geomspace(1, iterations + 1, n_snapshots)).astype(int) - 1)
    codes, targets = np.array(TOY_CODES), np.array(TOY_TARGETS, dtype=float)
    categories = np.arange(3)
    runs = {}
    for width in widths:
        starts = [init_weights(3, width, np.random.default_rng(seed)) for seed in seeds]
        # One stack per width: every learning rate from every seed's start, trained at once.
        W0 = np.stack([first for first, _ in starts] * len(rates))
        W1 = np.stack([second for _, second in starts] * len(rates))
        per_run_rate = np.repeat(rates, len(seeds))
        snapshots = [(W0, W1)]
        for start, stop in zip(steps[:-1], steps[1:]):
            history = train_network(codes, targets, W0, W1, per_run_rate, int(stop - start))
            W0, W1 = history.W0, history.W1
            snapshots.append((W0, W1))
        W0s = np.stack([w for w, _ in snapshots], axis=1)         # (runs, T, 3, width)
        W1s = np.stack([w for _, w in snapshots], axis=1)         # (runs, T, width, 1)
        outputs = forward(categories, W0s.reshape(-1, 3, width),
                          W1s.reshape(-1, width, 1))[1].reshape(len(per_run_rate), len(steps), 3)
        losses = loss_and_gradients(codes, targets, W0s.reshape(-1, 3, width),
                                    W1s.reshape(-1, width, 1))[0].reshape(outputs.shape[:2])
        for r, (rate, seed) in enumerate(itertools.product(rates, seeds)):
            plane = embedding_plane(W0s[r, -1], W1s[r, -1])
            w1_xy = W1s[r, :, :, 0] @ plane.T
            final_error = np.abs(targets - outputs[r, -1][codes])
            runs[(rate, seed, width)] = {
                "plane_xy": W0s[r] @ plane.T,
                "w1_xy": w1_xy / np.linalg.norm(w1_xy, axis=1, keepdims=True),
                "outputs": outputs[r], "loss": losses[r],
                "cosine_distances": _cosine_distances(W0s[r]),
                "final_mae": float(final_error.mean()),
                "failed": bool(final_error.max() > 0.5)}
    return {"codes": list(TOY_CODES), "targets": list(TOY_TARGETS), "iterations": steps,
            "learning_rates": rates, "seeds": seeds, "widths": widths, "runs": runs}


def _settings(values, name, whole=False, positive=False) -> list:
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a sequence of numbers") from None
    if array.ndim != 1 or array.size == 0 or not np.isfinite(array).all():
        raise ValueError(f"{name} must be a non-empty 1-D sequence of finite numbers")
    if whole and np.any(array != np.round(array)):
        raise ValueError(f"{name} must hold whole numbers")
    if positive and np.any(array <= 0):
        raise ValueError(f"{name} must hold numbers > 0")
    if len(np.unique(array)) != len(array):
        raise ValueError(f"{name} has a repeated value")
    return array.tolist()


def _cosine_distances(W0: np.ndarray) -> np.ndarray:
    """1 - cos for the pairs of embeddings (0, 1), (0, 2), (1, 2); W0 (..., 3, d)."""
    unit = W0 / np.linalg.norm(W0, axis=-1, keepdims=True)
    return np.stack([1 - np.sum(unit[..., a, :] * unit[..., b, :], axis=-1)
                     for a, b in ((0, 1), (0, 2), (1, 2))], axis=-1)


_RUN_FIELDS = {"plane_xy": (3, 2), "w1_xy": (2,), "outputs": (3,), "loss": (),
               "cosine_distances": (3,)}


def toy_training_explorer(runs: dict, start=None) -> Explorer:
    """A slider over the toy's training, and selects for the run: from
    :func:`toy_training_runs`'s result.

    Shows at the chosen iteration the three embeddings in the plane of chapter 3's figure
    (with their path so far and W1's direction), the loss so far, the four outputs against
    their targets, and the embeddings' cosine distances. ``start`` is the (learning rate,
    seed, width) shown first; by default learning rate 0.1 if there is one (the chapters'),
    and the first seed and width. Returns an :class:`Explorer` (``n_items``: the runs;
    ``start``: the run it opens on).
    """
    if not isinstance(runs, dict):
        raise ValueError("runs must be the dict that toy_training_runs returns")
    missing = {"iterations", "learning_rates", "seeds", "widths", "runs"} - set(runs)
    if missing:
        raise ValueError(f"runs lacks {sorted(missing)}: pass what toy_training_runs returns")
    steps = np.asarray(runs["iterations"])
    if steps.ndim != 1 or len(steps) < 2 or np.any(np.diff(steps) <= 0) or steps[0] != 0:
        raise ValueError("runs['iterations'] must rise from 0, with at least two snapshots")
    rates, seeds, widths = (list(runs[key]) for key in ("learning_rates", "seeds", "widths"))
    table = runs["runs"]
    if not isinstance(table, dict):
        raise ValueError("runs['runs'] must be a dict keyed by (learning_rate, seed, width)")
    n_steps = len(steps)
    encoded = {}
    for a, b, c in itertools.product(range(len(rates)), range(len(seeds)), range(len(widths))):
        key = (rates[a], seeds[b], widths[c])
        run = table.get(key)
        if not isinstance(run, dict):
            raise ValueError(f"runs['runs'] has no run for {key}")
        fields = {}
        for field, shape in _RUN_FIELDS.items():
            if field not in run:
                raise ValueError(f"run {key} lacks {field!r}")
            value = _finite_array(run[field], f"{field} of run {key}", 1 + len(shape))
            if value.shape != (n_steps,) + shape:
                raise ValueError(f"{field} of run {key} must have shape {(n_steps,) + shape}, "
                                 f"got {value.shape}")
            fields[field] = value
        # Whole numbers of thousandths (positions, outputs), hundredths (W1's direction,
        # distances) and ten-thousandths (loss): as precise as the page draws or prints them.
        encoded[f"{a}-{b}-{c}"] = {
            "xy": _scaled(fields["plane_xy"], 1000), "w1": _scaled(fields["w1_xy"], 100),
            "out": _scaled(fields["outputs"], 1000), "loss": _scaled(fields["loss"], 10_000),
            "cos": _scaled(fields["cosine_distances"], 100),
            "failed": bool(run.get("failed", False))}
    if start is None:
        start = (0.1 if 0.1 in rates else rates[0], seeds[0], widths[0])
    try:
        start_index = [rates.index(start[0]), seeds.index(start[1]), widths.index(start[2])]
    except (ValueError, TypeError, IndexError):
        raise ValueError(f"start must be a (learning_rate, seed, width) among the runs, "
                         f"got {start!r}") from None
    data = {"iterations": steps.astype(int).tolist(), "rates": [float(r) for r in rates],
            "seeds": [int(s) for s in seeds], "widths": [int(w) for w in widths],
            "codes": list(runs.get("codes", TOY_CODES)),
            "targets": list(runs.get("targets", TOY_TARGETS)),
            "runs": encoded, "start": start_index}
    payload = _json_for_script(data)
    element = _element_id("toy-explorer", payload)
    n_runs = len(encoded)
    description = (f"{n_runs} training runs of the toy network: {len(rates)} learning rates, "
                   f"{len(seeds)} seeds, {len(widths)} widths, {int(steps[-1]):,} iterations "
                   f"each, {n_steps} snapshots")
    options = {
        "rate": "".join(f'<option value="{i}">{_plain(r)}</option>' for i, r in enumerate(rates)),
        "seed": "".join(f'<option value="{i}">{s}</option>' for i, s in enumerate(seeds)),
        "width": "".join(f'<option value="{i}">{w}</option>' for i, w in enumerate(widths))}
    html = (_TOY_TEMPLATE.replace("__ID__", element)
            .replace("__RATE_OPTIONS__", options["rate"])
            .replace("__SEED_OPTIONS__", options["seed"])
            .replace("__WIDTH_OPTIONS__", options["width"])
            .replace("__LAST__", str(n_steps - 1))
            .replace("__LAST_ITERATION__", f"{int(steps[-1]):,}")
            .replace("__DESCRIPTION__", escape(description))
            .replace("__CSS__", _COMMON_CSS + _TOY_CSS)
            .replace("__DATA__", payload)
            .replace("__JS__", _TOY_JS))
    explorer = Explorer(html, n_runs, description)
    explorer.start = (rates[start_index[0]], seeds[start_index[1]], widths[start_index[2]])
    return explorer


def _scaled(values: np.ndarray, factor: int) -> list[int]:
    return np.round(values * factor).astype(int).ravel().tolist()


def _plain(number: float) -> str:
    return f"{number:g}"


# --------------------------------------------------------------------------
# The HTML, CSS and JavaScript (inline; nothing is fetched)
# --------------------------------------------------------------------------

# Colours come from the website's theme (pydata-sphinx-theme's variables, which follow its
# light and dark modes), then JupyterLab's, then fixed values.
_COMMON_CSS = """
.bx{--bx-fg:var(--pst-color-text-base,var(--jp-content-font-color1,#222));
--bx-muted:var(--pst-color-text-muted,var(--jp-content-font-color2,#555));
--bx-bg:var(--pst-color-background,var(--jp-layout-color0,#fff));
--bx-surface:var(--pst-color-surface,var(--jp-layout-color1,#f3f4f5));
--bx-border:var(--pst-color-border,var(--jp-border-color1,#bbb));
--bx-focus:var(--pst-color-accent,#b52b00);
--bx-c0:#0072B2;--bx-c1:#E69F00;--bx-c2:#009E73;--bx-chosen:#D55E00;--bx-near:#0072B2;
color:var(--bx-fg);background:var(--bx-bg);border:1px solid var(--bx-border);
border-radius:6px;padding:.8rem;margin:1rem 0;font-size:.95rem;line-height:1.4}
html[data-theme=dark] .bx,body[data-jp-theme-light=false] .bx{--bx-c0:#56B4E9;
--bx-chosen:#E69F00;--bx-near:#56B4E9;--bx-c1:#E69F00;--bx-c2:#009E73}
.bx p{margin:.2rem 0 .5rem}
.bx svg{display:block;width:100%;height:auto;overflow:visible}
.bx svg text{fill:var(--bx-fg);font-size:12px;font-family:inherit}
.bx .bx-axis{stroke:var(--bx-muted);stroke-width:1}
.bx label{font-weight:600;margin-right:.4rem}
.bx input[type=text],.bx select{color:var(--bx-fg);background:var(--bx-bg);
border:1px solid var(--bx-border);border-radius:4px;padding:.25rem .4rem;font:inherit}
.bx button{font:inherit;color:inherit}
.bx :focus-visible{outline:3px solid var(--bx-focus);outline-offset:2px}
.bx .bx-note{color:var(--bx-muted);font-size:.85rem}
.bx figure figcaption{text-align:left;margin:.3rem 0 0}
"""

_FILM_CSS = """
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

_FILM_TEMPLATE = """<div class="bx bx-film" id="__ID__">
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

_FILM_JS = r"""
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

_TOY_CSS = """
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

_TOY_TEMPLATE = """<div class="bx bx-toy" id="__ID__">
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

_TOY_JS = r"""
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
