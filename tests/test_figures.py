"""Unit tests of book/figures.py: the embedding plane, the drawings, and the mechanics that
keep the chapters' figure cells short (animations as offline HTML, labels placed apart)."""

from __future__ import annotations

import re

import numpy as np
import pytest

from figures import (animation_html, draw_embedding_moves, embedding_animation_html, embedding_plane,
                     label_points)


def test_animation_html_is_offline_and_accessible():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.animation import FuncAnimation

    fig, ax = plt.subplots(figsize=(2, 2), dpi=40)
    (line,) = ax.plot([0, 1], [0, 0])
    anim = FuncAnimation(fig, lambda i: line.set_ydata([0, i]), frames=3)
    raw = anim.to_jshtml()
    assert 'href="https://' in raw          # what Matplotlib itself produces
    html = animation_html(anim, "A line that tilts <up>")
    plt.close(fig)
    assert "https://" not in html and "http://" not in html
    assert 'alt="A line that tilts &lt;up&gt;"' in html
    assert 'aria-label="Frame"' in html
    with pytest.raises(ValueError, match="alt text"):
        animation_html(anim, "  ")


def test_embedding_plane_is_orthonormal_and_starts_along_w1():
    rng = np.random.default_rng(4)
    W0, W1 = rng.normal(size=(3, 5)), rng.normal(size=(5, 1))
    plane = embedding_plane(W0, W1)
    assert plane.shape == (2, 5)
    assert np.allclose(plane @ plane.T, np.eye(2))
    assert np.allclose(plane[0], W1[:, 0] / np.linalg.norm(W1))
    # the second axis is the direction of largest spread orthogonal to W1
    rest = W0 - np.outer(W0 @ plane[0], plane[0])
    best = np.linalg.norm(rest @ plane[1])
    for _ in range(100):
        other = rng.normal(size=5)
        other -= (other @ plane[0]) * plane[0]
        assert np.linalg.norm(rest @ (other / np.linalg.norm(other))) <= best + 1e-12


def test_embedding_plane_when_every_row_lies_along_w1():
    w1 = np.array([[1.0], [2.0], [2.0]])
    plane = embedding_plane(np.outer([1.0, -2.0], w1[:, 0]), w1)
    assert np.allclose(plane @ plane.T, np.eye(2))


@pytest.mark.parametrize("W0, W1, message", [
    (np.ones((3, 5)), np.ones((4, 1)), "W0 must be (n, d) and W1 (d, 1)"),
    (np.ones(5), np.ones((5, 1)), "W0 must be (n, d)"),
    (np.ones((3, 5)), np.zeros((5, 1)), "non-zero W1"),
    (np.ones((3, 1)), np.ones((1, 1)), "d >= 2"),
])
def test_embedding_plane_rejects_bad_input(W0, W1, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        embedding_plane(W0, W1)


def test_draw_embedding_moves_returns_plane_coordinates():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rng = np.random.default_rng(5)
    start, end, W1 = rng.normal(size=(3, 4)), rng.normal(size=(3, 4)), rng.normal(size=(4, 1))
    fig, ax = plt.subplots()
    s, e = draw_embedding_moves(ax, start, end, W1, ["a", "b", "c"])
    fig.canvas.draw()
    # Equal scales: a unit across is as many pixels as a unit up, so slopes are true.
    (x0, y0), (x1, y1) = ax.transData.transform([(0, 0), (1, 1)])
    plt.close(fig)
    assert ax.get_aspect() == 1.0 and np.isclose(x1 - x0, y1 - y0)
    plane = embedding_plane(end, W1)
    assert np.allclose(s, start @ plane.T) and np.allclose(e, end @ plane.T)


# ---------------------------------------------------------------- figure mechanics the chapters call

def toy_frames(frames=4, n=3, seed=0):
    rng = np.random.default_rng(seed)
    positions = np.cumsum(rng.normal(size=(frames, n, 2)), axis=0)
    directions = rng.normal(size=(frames, 2))
    return positions, directions / np.linalg.norm(directions, axis=1, keepdims=True)


def test_embedding_animation_html_is_one_frame_per_position_offline_and_closes_its_figure():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    positions, directions = toy_frames(frames=4)
    open_before = plt.get_fignums()
    html = embedding_animation_html(positions, directions, [f"step {i}" for i in range(4)],
                                    ["a", "b", "c"], alt="Three points that wander")
    assert plt.get_fignums() == open_before            # nothing left open to show twice
    assert html.count("data:image/png;base64") == 4    # one picture per frame
    assert 'alt="Three points that wander"' in html and 'aria-label="Frame"' in html
    assert "https://" not in html and "http://" not in html


def test_embedding_animation_html_draws_the_frames_it_is_given():
    # Two animations that differ only in where one embedding is in the last frame (a point
    # inside the others' range, so that the axes stay the same) differ in that frame only.
    import base64

    def frame_pictures(html):   # each frame's PNG, whose base64 runs over escaped newlines
        found = re.findall(r'frames\[\d+\] = "data:image/png;base64,(.*?)"', html, re.S)
        return [base64.b64decode(text.replace("\\\n", "")) for text in found]

    positions, directions = toy_frames(frames=3)
    moved = positions.copy()
    moved[-1, 0] = positions[0, 1]
    pictures = [frame_pictures(embedding_animation_html(p, directions, ["1", "2", "3"],
                                                        ["a", "b", "c"], alt="x"))
                for p in (positions, moved)]
    assert all(picture.startswith(b"\x89PNG") for picture in pictures[0] + pictures[1])
    assert [a == b for a, b in zip(*pictures)] == [True, True, False]


def test_embedding_animation_html_draws_each_frame_once(monkeypatch):
    # One draw to lay the figure out, then one per frame, into its picture: no second,
    # unused redraw of the canvas after each frame.
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    draws = []
    original = FigureCanvasAgg.draw
    monkeypatch.setattr(FigureCanvasAgg, "draw", lambda self: draws.append(1) or original(self))
    positions, directions = toy_frames(frames=5)
    embedding_animation_html(positions, directions, list("12345"), ["a", "b", "c"], alt="x")
    assert len(draws) == 1 + 5


@pytest.mark.parametrize("change, message", [
    (lambda p, d, t, l: (p[..., :1], d, t, l), "positions must have shape (frames, embeddings, 2)"),
    (lambda p, d, t, l: (p, d[:-1], t, l), "w1_directions must have shape (4, 2)"),
    (lambda p, d, t, l: (p, d, t[:-1], l), "one title per frame (4)"),
    (lambda p, d, t, l: (p, d, t, l[:2]), "one label per embedding (3)"),
    (lambda p, d, t, l: (np.where(p > 0, np.nan, p), d, t, l), "must be finite"),
])
def test_embedding_animation_html_rejects_bad_input(change, message):
    positions, directions = toy_frames(frames=4)
    args = change(positions, directions, ["t"] * 4, ["a", "b", "c"])
    with pytest.raises(ValueError) as error:
        embedding_animation_html(*args, alt="x")
    assert message in str(error.value)


def test_label_points_keeps_labels_apart_where_it_can():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from figures import PLACES

    fig, ax = plt.subplots(figsize=(4, 3))
    # A tight cluster of points, and one far away.
    rng = np.random.default_rng(0)
    points = np.vstack([rng.normal(0, 0.15, size=(8, 2)), [[5.0, 5.0]]])
    ax.scatter(points[:, 0], points[:, 1])
    texts = [f"label {i}" for i in range(len(points))]
    labels = label_points(ax, points, texts)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    from matplotlib.text import Text

    # The labels' text boxes (an annotation's own extent includes its leader line).
    boxes = [Text.get_window_extent(label, renderer) for label in labels]
    dots = ax.transData.transform(points)
    plt.close(fig)
    assert [label.get_text() for label in labels] == texts
    assert labels[-1].xyann == PLACES[0][:2]               # a free spot keeps the first place
    moved = [i for i, label in enumerate(labels) if label.xyann != PLACES[0][:2]]
    assert moved, "the cluster should have pushed some labels to other places"
    for i, label in enumerate(labels):
        if label.xyann == PLACES[-1][:2]:
            continue                                        # the fallback may cover things
        assert not any(boxes[i].padded(3).overlaps(boxes[j]) for j in range(i))
        assert not any(boxes[i].padded(4).contains(*dots[j]) for j in range(len(dots)) if j != i)
        assert (label.arrow_patch is not None) == (abs(label.xyann[0]) > 6)   # leader lines


def test_label_points_uses_the_last_place_when_none_is_free():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(4, 3))
    ax.set(xlim=(-1, 1), ylim=(-1, 1))
    # Places well clear of the point (a label just beside it may or may not cover the point,
    # by a pixel, depending on the fonts).
    places = [(10, 10, "left"), (-10, 10, "right")]
    labels = label_points(ax, np.zeros((3, 2)), ["a long label", "another", "a third"],
                          places=places)
    plt.close(fig)
    # Three points at one spot: the second label would cover the first in the first place,
    # and the third finds both places taken, so it takes the last.
    assert [label.xyann for label in labels] == [(10, 10), (-10, 10), (-10, 10)]
    assert len(ax.texts) == 3                           # the labels tried and dropped are gone
    # Apart, each keeps the first place.
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.set(xlim=(-1, 1), ylim=(-1, 1))
    apart = label_points(ax, np.array([[-0.8, -0.8], [0.0, 0.0], [0.6, 0.6]]),
                         ["a", "b", "c"], places=places)
    plt.close(fig)
    assert [label.xyann for label in apart] == [(10, 10)] * 3


@pytest.mark.parametrize("points, texts, places, message", [
    (np.zeros(4), ["a"] * 4, None, "points must have shape (n, 2)"),
    (np.zeros((2, 2)), ["a"], None, "one text per point: 2 points, 1 texts"),
    (np.zeros((2, 2)), ["a", "b"], [], "at least one place"),
])
def test_label_points_rejects_bad_input(points, texts, places, message):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    try:
        with pytest.raises(ValueError, match=re.escape(message)):
            label_points(ax, points, texts, **({} if places is None else {"places": places}))
    finally:
        plt.close(fig)
