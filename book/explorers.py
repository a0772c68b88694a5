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
raises a ``ValueError`` that says what is wrong. Imports NumPy, IPython and the book's
explorer_style.py, film_explorer_page.py and toy_explorer_page.py; :func:`toy_training_runs`
also network.py and figures.py, when it is called.
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

from explorer_style import COMMON_CSS
from film_explorer_page import FILM_CSS, FILM_JS, FILM_TEMPLATE
from toy_explorer_page import TOY_CSS, TOY_JS, TOY_TEMPLATE

__all__ = ["Explorer", "FilmExplorer", "film_explorer", "toy_training_runs",
           "toy_training_explorer", "TOY_CODES", "TOY_TARGETS"]

TOY_CODES = (0, 1, 2, 2)
"""The toy's four samples: their categories ..."""
TOY_TARGETS = (1, 1, 0, 0)
"""... and their targets (chapters 1 to 4)."""

# Okabe-Ito colours (figures.OKABE_ITO), repeated so this module needs no other import.
_BLUE, _ORANGE, _GREEN, _VERMILLION, _SKY = "#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9"
_counter = itertools.count(1)


class Explorer(HTML):
    """An explorer's HTML, shown by Jupyter and MyST-NB like ``IPython.display.HTML``.

    ``n_items`` is how many films (or training runs) it holds and ``n_bytes`` what it adds
    to a page, both plain ints that ``measure.glue_value`` can glue into the prose.
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
    html = (FILM_TEMPLATE.replace("__ID__", element)
            .replace("__DESCRIPTION__", escape(description))
            .replace("__N__", f"{len(shown):,}")
            .replace("__CSS__", COMMON_CSS + FILM_CSS)
            .replace("__DATA__", payload)
            .replace("__JS__", FILM_JS))
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

    Each (seed, width) starts from ``network.init_weights(3, width, default_rng(seed))``,
    the same start for every learning rate, so runs differ only in what is chosen; seed 0
    and width 5 start where chapters 2 and 3 start. The snapshots are spaced evenly on a
    log scale of the iteration, since most of the motion happens early.

    Returns a dict: ``iterations`` (the snapshot iterations), the three settings lists, and
    ``runs[(learning_rate, seed, width)]`` with, at each snapshot, ``plane_xy`` (3, 2): the
    three embeddings in ``figures.embedding_plane`` of the run's final weights (the plane of
    chapter 3's figure), ``w1_xy`` (2,): W1's direction in that plane, ``outputs`` (3,):
    the output for each category, ``loss``: the half sum of squared errors over the four
    samples, ``cosine_distances`` (3,): for the pairs (0, 1), (0, 2), (1, 2); and at the
    end ``final_mae`` and ``failed``: some output is on the wrong side of 0.5.
    """
    from figures import embedding_plane
    from network import forward, init_weights, loss_and_gradients, train_network

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
    html = (TOY_TEMPLATE.replace("__ID__", element)
            .replace("__RATE_OPTIONS__", options["rate"])
            .replace("__SEED_OPTIONS__", options["seed"])
            .replace("__WIDTH_OPTIONS__", options["width"])
            .replace("__LAST__", str(n_steps - 1))
            .replace("__LAST_ITERATION__", f"{int(steps[-1]):,}")
            .replace("__DESCRIPTION__", escape(description))
            .replace("__CSS__", COMMON_CSS + TOY_CSS)
            .replace("__DATA__", payload)
            .replace("__JS__", TOY_JS))
    explorer = Explorer(html, n_runs, description)
    explorer.start = (rates[start_index[0]], seeds[start_index[1]], widths[start_index[2]])
    return explorer


def _scaled(values: np.ndarray, factor: int) -> list[int]:
    return np.round(values * factor).astype(int).ravel().tolist()


def _plain(number: float) -> str:
    return f"{number:g}"
