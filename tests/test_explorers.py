"""Unit tests of book/explorers.py: the data the two explorers put on a page.

What the browser does with the data is tested in test_browser.py, on the built pages.
"""

from __future__ import annotations

import itertools
import json
import re

import numpy as np
import pytest

from explorers import (TOY_CODES, TOY_TARGETS, film_explorer, toy_training_explorer,
                       toy_training_runs)
from figures import embedding_plane
from network import forward, init_weights, train_network


def exported_data(explorer) -> dict:
    """The JSON an explorer carries, read back from its HTML as the browser reads it."""
    found = re.findall(r'<script type="application/json" class="bx-data">(.*?)</script>',
                       explorer.data, flags=re.S)
    assert len(found) == 1
    return json.loads(found[0])


def films(n=120, d=8, seed=0):
    rng = np.random.default_rng(seed)
    vectors = rng.normal(size=(n, d))
    titles = [f"Film {i:03d}" for i in range(n)]
    counts = rng.integers(0, 200, size=n)
    return vectors, titles, counts


# --------------------------------------------------------------------------
# Film explorer
# --------------------------------------------------------------------------

def test_film_neighbours_equal_a_direct_cosine_computation():
    vectors, titles, counts = films()
    explorer = film_explorer(vectors, titles, counts, min_ratings=50, k=7)
    data = exported_data(explorer)
    shown = [i for i in range(len(titles)) if counts[i] >= 50]
    assert data["titles"] == [titles[i] for i in shown]
    assert explorer.n_items == len(shown) == len(data["n"])
    k = data["k"]
    for position, row in enumerate(shown):
        # Cosine similarity written out, one film at a time, against every other shown film.
        others = [other for other in shown if other != row]
        cosines = [vectors[row] @ vectors[o] / np.sqrt((vectors[row] @ vectors[row])
                                                       * (vectors[o] @ vectors[o]))
                   for o in others]
        best = np.argsort(cosines)[::-1][:k]
        exported = data["nb"][position * k:(position + 1) * k]
        assert [shown[i] for i in exported] == [others[b] for b in best]
        assert np.allclose(data["sim"][position * k:(position + 1) * k],
                           np.round(np.array(cosines)[best], 3), atol=1e-12)


def test_film_neighbours_agree_with_the_chapters_function():
    from movielens import nearest_neighbours

    vectors, titles, counts = films(n=80, seed=1)
    data = exported_data(film_explorer(vectors, titles, counts, min_ratings=20, k=5))
    shown = np.flatnonzero(counts >= 20)
    mask = counts >= 20
    for position, row in enumerate(shown):
        expected = nearest_neighbours(vectors, int(row), k=5, candidates=mask)
        assert shown[data["nb"][position * 5:(position + 1) * 5]].tolist() == expected.tolist()


def test_film_map_defaults_to_the_first_two_principal_components():
    vectors, titles, counts = films(n=60, d=6, seed=2)
    data = exported_data(film_explorer(vectors, titles, counts, min_ratings=1, k=3))
    shown = vectors[counts >= 1]
    centred = shown - shown.mean(axis=0)
    u, s, _ = np.linalg.svd(centred, full_matrices=False)
    components = u[:, :2] * s[:2]
    exported = np.column_stack([data["x"], data["y"]])
    for axis in range(2):   # the same up to one common scale and each axis's sign
        component = components[:, axis]
        ratio = exported[:, axis] @ component / (component @ component)
        assert np.allclose(exported[:, axis], ratio * component, atol=2e-3)
    assert np.abs(exported).max() == 1.0


def test_film_map_uses_given_coordinates():
    vectors, titles, counts = films(n=30, seed=3)
    coords = np.column_stack([np.arange(30.0), -np.arange(30.0) / 2])
    data = exported_data(film_explorer(vectors, titles, counts, coords=coords, min_ratings=1,
                                       k=3, map_label="a straight line"))
    shown = coords[counts >= 1]
    centred = shown - shown.mean(axis=0)
    assert np.allclose(data["x"], np.round(centred[:, 0] / np.abs(centred).max(), 3))
    assert np.allclose(data["y"], np.round(centred[:, 1] / np.abs(centred).max(), 3))


def test_film_explorer_is_self_contained_and_bounded_in_size():
    rng = np.random.default_rng(4)
    n = 2_000                                        # more films than a chapter should show
    titles = [f"A film with a title thirty chars {i:04d}" for i in range(n)]
    explorer = film_explorer(rng.normal(size=(n, 32)), titles, np.full(n, 60), k=10)
    html = explorer.data
    assert explorer.n_bytes == len(html.encode("utf-8"))
    html = html.replace('"http://www.w3.org/2000/svg"', "")   # SVG's namespace: a name, not a fetch
    assert explorer.n_bytes <= 400_000, explorer.n_bytes  # the browser tests allow 500 kB a page
    with pytest.raises(ValueError, match="would add"):    # twice as many: refused, not shipped
        film_explorer(rng.normal(size=(2 * n, 32)), titles * 2, np.full(2 * n, 60), k=10)
    for outside in ("http://", "https://", "fetch(", "XMLHttpRequest", "import(", "<link",
                    "<script src"):
        assert outside not in html
    assert "WebSocket" not in html


def test_titles_cannot_end_the_script_early():
    vectors, titles, counts = films(n=20, seed=5)
    titles[0] = "</script><script>alert('x')</script>"
    explorer = film_explorer(vectors, titles, np.full(20, 100), k=3)
    assert explorer.data.count("</script>") == 2      # the data's and the code's own
    assert exported_data(explorer)["titles"][0] == titles[0]


def test_several_explorers_on_one_page_have_distinct_ids():
    vectors, titles, counts = films(n=40, seed=6)
    pages = [film_explorer(vectors, titles, counts, min_ratings=1, k=3).data for _ in range(2)]
    pages.append(toy_training_explorer(small_runs()).data)
    ids = [re.findall(r'\bid="([^"]+)"', page) for page in pages]
    everything = [i for page_ids in ids for i in page_ids]
    assert len(everything) == len(set(everything)), "an id appears twice on the page"
    for page, page_ids in zip(pages, ids):      # every id hangs off the explorer's own id
        root = page_ids[0]
        assert all(i.startswith(root) for i in page_ids)
        for reference in re.findall(r'(?:for|aria-controls|aria-describedby|aria-labelledby)'
                                    r'="([^"]+)"', page):
            assert reference in page_ids, reference


def test_film_explorer_rejects_bad_input():
    vectors, titles, counts = films(n=30, seed=7)
    counts = np.full(30, 100)
    cases = [
        (dict(vectors=vectors[0]), "2-D"),
        (dict(vectors=np.where(np.eye(30, 8) > 0, np.nan, vectors)), "NaN"),
        (dict(vectors=[["a"] * 8] * 30), "numbers"),
        (dict(vectors=vectors[:, :1]), "at least 2 columns"),
        (dict(titles=titles[:-1]), "29"),
        (dict(vectors=np.vstack([np.zeros(8), vectors])), "out-of-vocabulary row"),
        (dict(titles="Star Wars"), "single string"),
        (dict(titles=5), "sequence"),
        (dict(n_ratings=counts[:-1]), "n_ratings has 29"),
        (dict(n_ratings=-counts), ">= 0"),
        (dict(n_ratings=counts + 0.5), "whole numbers"),
        (dict(n_ratings=["many"] * 30), "whole numbers"),
        (dict(n_ratings=np.ones(30, bool)), "whole numbers"),
        (dict(min_ratings=0), "min_ratings"),
        (dict(min_ratings=True), "min_ratings"),
        (dict(min_ratings=2.5), "min_ratings"),
        (dict(k=0), "k must"),
        (dict(k=30), "need at least 31"),
        (dict(min_ratings=1000), "only 0 films"),
        (dict(titles=[None] + titles[1:]), "needs a title"),
        (dict(titles=["  "] + titles[1:]), "needs a title"),
        (dict(vectors=np.vstack([np.zeros((1, 8)), vectors[1:]])), "zero vector"),
        (dict(coords=np.zeros((30, 3))), r"shape \(30, 2\)"),
        (dict(coords=np.full((30, 2), np.inf)), "NaN or infinity"),
        (dict(max_bytes=0), "max_bytes"),
        (dict(max_bytes=5_000), "would add .* kB to the page"),
    ]
    for change, message in cases:
        arguments = dict(vectors=vectors, titles=titles, n_ratings=counts, k=5) | change
        with pytest.raises(ValueError, match=message):
            film_explorer(**arguments)


def test_film_counts_say_what_they_count():
    """Chapter 5 shows counts of training ratings: the page must call them that."""
    vectors, titles, counts = films(n=40, seed=9)
    explorer = film_explorer(vectors, titles, counts, min_ratings=50, k=3,
                             count_label="training ratings")
    data = exported_data(explorer)
    assert data["label"] == "training ratings" and data["min"] == 50
    assert "at least 50 training ratings" in explorer.description
    default = exported_data(film_explorer(vectors, titles, counts, min_ratings=50, k=3))
    assert default["label"] == "ratings"
    for bad in ["", "  ", 5, None, "a" * 41]:
        with pytest.raises(ValueError, match="count_label"):
            film_explorer(vectors, titles, counts, min_ratings=50, k=3, count_label=bad)


def orthogonal_design(n, scales, seed):
    """n vectors whose centred columns are orthogonal with the given lengths, shifted away
    from the origin: their principal components are the columns, in order."""
    rng = np.random.default_rng(seed)
    raw = rng.normal(size=(n, len(scales)))
    q, _ = np.linalg.qr(raw - raw.mean(axis=0))
    q -= q.mean(axis=0)                      # already centred; this only removes rounding
    return q * np.asarray(scales) + 3.0


def test_film_map_reports_the_variance_it_keeps():
    scales = [5.0, 4.0, 2.0, 1.0, 1.0]
    vectors = orthogonal_design(60, scales, seed=10)
    titles, counts = [f"Film {i}" for i in range(60)], np.full(60, 100)
    explorer = film_explorer(vectors, titles, counts, k=3)
    assert np.isclose(explorer.map_variance_kept, (25 + 16) / (25 + 16 + 4 + 1 + 1))
    flat = np.column_stack([vectors[:, :2], np.zeros((60, 3))])   # all of it in two directions
    assert np.isclose(film_explorer(flat, titles, counts, k=3).map_variance_kept, 1.0)
    given = film_explorer(vectors, titles, counts, k=3, coords=vectors[:, :2])
    assert given.map_variance_kept is None    # not principal components: nothing to report


def test_neighbour_map_rank_is_one_where_the_map_is_exact():
    """Films on a circle in 2-D: the map is the plane itself, and the most cosine-similar
    film is the one at the nearest angle, also the nearest point on the map."""
    angles = np.sort(np.random.default_rng(11).uniform(0, 2 * np.pi, 50))
    vectors = np.column_stack([np.cos(angles), np.sin(angles)])
    explorer = film_explorer(vectors, [f"F{i}" for i in range(50)], np.full(50, 60), k=3)
    assert explorer.neighbour_map_rank.tolist() == [1] * 50
    assert explorer.neighbours_apart_on_map == 0


def test_neighbour_map_rank_and_count_equal_a_direct_computation():
    vectors, titles, counts = films(n=70, d=9, seed=12)
    explorer = film_explorer(vectors, titles, counts, min_ratings=40, k=4)
    shown = [i for i in range(70) if counts[i] >= 40]
    # The map written out: the first two principal components of the shown films.
    centred = vectors[shown] - vectors[shown].mean(axis=0)
    u, s, _ = np.linalg.svd(centred, full_matrices=False)
    points = u[:, :2] * s[:2]
    pair_gaps = [np.linalg.norm(points[a] - points[b])
                 for a in range(len(shown)) for b in range(a + 1, len(shown))]
    median_gap = np.median(pair_gaps)
    ranks, apart = [], 0
    for a, row in enumerate(shown):
        cosines = {b: vectors[row] @ vectors[other] / np.linalg.norm(vectors[row])
                   / np.linalg.norm(vectors[other]) for b, other in enumerate(shown) if b != a}
        nearest = max(cosines, key=cosines.get)
        gap = np.linalg.norm(points[a] - points[nearest])
        # 1 + the films closer to it on the map than its nearest neighbour in all dimensions
        ranks.append(1 + sum(np.linalg.norm(points[a] - points[b]) < gap for b in cosines))
        apart += gap > median_gap
    assert explorer.neighbour_map_rank.tolist() == ranks
    assert np.median(ranks) > 1                    # random vectors: the map is a poor guide
    assert explorer.neighbours_apart_on_map == apart > 0


def test_only_shown_films_need_titles_and_vectors():
    vectors, titles, _ = films(n=30, seed=8)
    counts = np.full(30, 100)
    counts[0] = 2                                      # row 0: too few ratings to be shown
    titles[0], vectors[0] = None, 0.0                 # like a film with no title in the data
    assert film_explorer(vectors, titles, counts, k=5).n_items == 29


# --------------------------------------------------------------------------
# Toy-training explorer
# --------------------------------------------------------------------------

def small_runs(**settings):
    arguments = dict(learning_rates=(0.1, 100.0), seeds=(0, 1), widths=(2, 5),
                     iterations=300, n_snapshots=12) | settings
    return toy_training_runs(**arguments)


@pytest.fixture(scope="module")
def chapter_runs():
    """The runs chapter 3 shows: toy_training_runs' defaults."""
    return toy_training_runs()


def test_the_chapters_runs_include_a_measured_failure(chapter_runs):
    runs = chapter_runs["runs"]
    assert len(chapter_runs["learning_rates"]) >= 3 and len(chapter_runs["seeds"]) >= 3
    assert 2 <= len(chapter_runs["widths"]) <= 3
    failed = {rate: [key for key, run in runs.items() if key[0] == rate and run["failed"]]
              for rate in chapter_runs["learning_rates"]}
    failing = [rate for rate, keys in failed.items() if keys]
    assert failing and not failed[0.1], failed          # one rate fails; the chapters' does not
    for rate in failing:
        for key in failed[rate]:
            # Retrain that run in one call of the book's network: it ends as recorded, with
            # an output on the wrong side of 0.5.
            _, seed, width = key
            W0, W1 = init_weights(3, width, np.random.default_rng(seed))
            trained = train_network(TOY_CODES, TOY_TARGETS, W0, W1, rate,
                                    int(chapter_runs["iterations"][-1]))
            outputs = forward(np.arange(3), trained.W0, trained.W1)[1][:, 0]
            assert np.allclose(outputs, runs[key]["outputs"][-1], atol=1e-9)
            assert np.abs(outputs[list(TOY_CODES)] - TOY_TARGETS).max() > 0.5
    for key, run in runs.items():
        if not run["failed"]:
            assert np.abs(run["outputs"][-1][list(TOY_CODES)] - TOY_TARGETS).max() < 0.5
    # And the explorer built from them stays light.
    assert toy_training_explorer(chapter_runs).n_bytes < 200_000


def test_the_dashed_line_is_where_the_trained_output_is_one_half(chapter_runs):
    """The explorer's dashed vertical line is 0 along the final W1: an embedding ends right
    of it exactly when its output ends above 0.5 (the network has no bias)."""
    for key, run in chapter_runs["runs"].items():
        along, outputs = run["plane_xy"][-1][:, 0], run["outputs"][-1]
        assert np.array_equal(along > 0, outputs > 0.5), key


def test_toy_runs_record_the_books_network():
    runs = small_runs()
    steps = runs["iterations"]
    assert steps[0] == 0 and steps[-1] == 300 and np.all(np.diff(steps) > 0)
    key = (0.1, 1, 5)
    run = runs["runs"][key]
    W0, W1 = init_weights(3, 5, np.random.default_rng(1))
    middle = int(steps[len(steps) // 2])
    at_middle = train_network(TOY_CODES, TOY_TARGETS, W0, W1, 0.1, middle)
    at_end = train_network(TOY_CODES, TOY_TARGETS, W0, W1, 0.1, 300)
    plane = embedding_plane(at_end.W0, at_end.W1)
    assert np.allclose(run["plane_xy"][len(steps) // 2], at_middle.W0 @ plane.T)
    assert np.allclose(run["plane_xy"][0], W0 @ plane.T)
    assert np.isclose(run["loss"][-1], at_end.loss[-1])
    assert np.isclose(run["loss"][len(steps) // 2], at_middle.loss[-1])
    assert np.allclose(run["outputs"][-1], forward([0, 1, 2], at_end.W0, at_end.W1)[1][:, 0])
    unit = at_end.W0 / np.linalg.norm(at_end.W0, axis=1, keepdims=True)
    assert np.allclose(run["cosine_distances"][-1],
                       [1 - unit[0] @ unit[1], 1 - unit[0] @ unit[2], 1 - unit[1] @ unit[2]])
    w1 = plane @ at_end.W1[:, 0]
    assert np.allclose(run["w1_xy"][-1], w1 / np.linalg.norm(w1))


def test_toy_explorer_exports_every_run_rounded():
    runs = small_runs()
    explorer = toy_training_explorer(runs)
    data = exported_data(explorer)
    assert explorer.n_items == len(runs["runs"]) == len(data["runs"]) == 8
    assert data["iterations"] == runs["iterations"].tolist()
    for (a, rate), (b, seed), (c, width) in itertools.product(
            *(enumerate(runs[key]) for key in ("learning_rates", "seeds", "widths"))):
        run, exported = runs["runs"][(rate, seed, width)], data["runs"][f"{a}-{b}-{c}"]
        assert np.allclose(np.array(exported["xy"]) / 1000, run["plane_xy"].ravel(), atol=5e-4)
        assert np.allclose(np.array(exported["out"]) / 1000, run["outputs"].ravel(), atol=5e-4)
        assert np.allclose(np.array(exported["loss"]) / 1e4, run["loss"], atol=5e-5)
        assert exported["failed"] == run["failed"]
    assert data["start"] == [0, 0, 0]      # learning rate 0.1, the first seed and width
    assert explorer.start == (0.1, 0, 2)
    later = toy_training_explorer(runs, start=(100.0, 1, 5))
    assert later.start == (100.0, 1, 5) and exported_data(later)["start"] == [1, 1, 1]


def test_toy_runs_reject_bad_settings():
    for change, message in [
        (dict(learning_rates=()), "non-empty"),
        (dict(learning_rates=(0.1, -1)), "> 0"),
        (dict(learning_rates=(0.1, np.nan)), "finite"),
        (dict(learning_rates="fast"), "numbers"),
        (dict(learning_rates=(0.1, 0.1)), "repeated"),
        (dict(seeds=(0.5,)), "whole numbers"),
        (dict(widths=(1, 5)), "at least 2"),
        (dict(iterations=0), "iterations"),
        (dict(iterations=2.5), "iterations"),
        (dict(n_snapshots=1), "at least 2"),
    ]:
        with pytest.raises(ValueError, match=message):
            small_runs(**change)


def test_toy_explorer_rejects_bad_runs():
    runs = small_runs()
    one = (0.1, 0, 2)

    def changed(**parts):
        copy = dict(runs, runs={key: dict(run) for key, run in runs["runs"].items()})
        for name, value in parts.items():
            if name in copy:
                copy[name] = value
            else:
                copy["runs"][one][name] = value
        return copy

    incomplete = dict(runs, runs={k: v for k, v in runs["runs"].items() if k != one})
    for bad, message in [
        ([1, 2], "dict"),
        ({"runs": {}}, "lacks"),
        (changed(iterations=[0]), "at least two"),
        (changed(iterations=runs["iterations"][::-1]), "rise from 0"),
        (changed(runs=[]), "dict keyed"),
        (incomplete, "no run for"),
        (changed(loss=np.zeros(3)), "loss of run"),
        (changed(outputs=np.full((len(runs["iterations"]), 3), np.nan)), "NaN"),
        (changed(plane_xy="left"), "numbers"),
    ]:
        with pytest.raises(ValueError, match=message):
            toy_training_explorer(bad)
    missing = changed()
    del missing["runs"][one]["w1_xy"]
    with pytest.raises(ValueError, match="lacks 'w1_xy'"):
        toy_training_explorer(missing)
    with pytest.raises(ValueError, match="start must be"):
        toy_training_explorer(runs, start=(0.5, 0, 2))
