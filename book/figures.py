"""The book's figures: its colour-blind-safe style, the plane in which chapter 3 draws the
embeddings, animations as offline HTML, and the mechanics that keep a chapter's figure cells
short. It imports NumPy at the top, and Matplotlib only inside the functions that draw.
"""

from __future__ import annotations

import re
from html import escape

import numpy as np

__all__ = ["OKABE_ITO", "use_book_style", "embedding_plane", "draw_embedding_moves",
           "animation_html", "embedding_animation_html", "label_points"]


OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9",
             "#F0E442", "#000000"]
"""Okabe and Ito's palette, told apart by readers with colour-vision deficiencies."""


def use_book_style() -> None:
    """Set Matplotlib up for the book: colour-blind-safe colours, opaque white figures.

    The white background keeps figures readable when the website is in dark mode.
    """
    import matplotlib.pyplot as plt
    from cycler import cycler

    plt.rcParams.update({
        "axes.prop_cycle": cycler(color=OKABE_ITO),
        "figure.facecolor": "white",
        "savefig.facecolor": "white",
        "figure.dpi": 96,
        "savefig.dpi": 96,
        "axes.grid": True,
        "grid.alpha": 0.3,
    })


def embedding_plane(W0: np.ndarray, W1: np.ndarray) -> np.ndarray:
    """Two orthonormal rows (2, d): the direction of W1, and the direction orthogonal to
    W1 along which the rows of W0 spread most. Coordinates in it: ``W0 @ plane.T``."""
    W0, w1 = np.asarray(W0, dtype=float), np.asarray(W1, dtype=float).reshape(-1)
    if W0.ndim != 2 or w1.shape != (W0.shape[1],):
        raise ValueError(f"W0 must be (n, d) and W1 (d, 1); got {W0.shape} and "
                         f"{np.shape(W1)}")
    if W0.shape[1] < 2 or not np.any(w1):
        raise ValueError("the plane needs d >= 2 and a non-zero W1")
    along = w1 / np.linalg.norm(w1)
    orthogonal_parts = W0 - np.outer(W0 @ along, along)
    across = np.linalg.svd(orthogonal_parts)[2][0]
    across -= (across @ along) * along          # exactly orthogonal, even if W0 lies along W1
    if np.linalg.norm(across) < 1e-12:          # then any direction orthogonal to W1 will do
        across = np.linalg.svd(np.outer(along, along) - np.eye(len(along)))[0][:, 0]
        across -= (across @ along) * along
    return np.stack([along, across / np.linalg.norm(across)])


def draw_embedding_moves(ax, W0_start, W0_end, W1, labels, title=""):
    """Arrows from each category's start to its end in :func:`embedding_plane` of
    (W0_end, W1): hollow markers where it started, filled where it ended."""
    plane = embedding_plane(W0_end, W1)
    start, end = np.asarray(W0_start) @ plane.T, np.asarray(W0_end) @ plane.T
    for k, label in enumerate(labels):
        marker = "os^Dv<>p"[k % 8]
        ax.annotate("", xy=end[k], xytext=start[k],
                    arrowprops={"arrowstyle": "->", "color": f"C{k}", "lw": 2})
        ax.plot(*start[k], marker, color=f"C{k}", mfc="none", ms=9)
        ax.plot(*end[k], marker, color=f"C{k}", ms=9, label=label)
    ax.axvline(0, color="gray", lw=1)
    ax.set(xlabel="component along W1 (what the output sees)",
           ylabel="largest component orthogonal to W1", title=title)
    # One unit is as long across as up, so an arrow's slope is its true direction.
    ax.set_aspect("equal", adjustable="datalim")
    ax.legend()
    return start, end


def animation_html(animation, alt: str) -> str:
    """A Matplotlib animation as HTML that plays on a static page with no kernel.

    ``to_jshtml()`` links Font Awesome from a CDN, so an offline page would fetch from
    another host; that link is removed (the book's theme ships Font Awesome itself).
    The frame gets ``alt`` text and the slider an accessible name.
    """
    if not alt or not alt.strip():
        raise ValueError("an animation needs alt text that says what it shows")
    html = animation.to_jshtml()
    html, removed = re.subn(r'<link rel="stylesheet"\s+href="https?://[^"]+">', "", html)
    if removed != 1:
        raise ValueError("Matplotlib's animation HTML changed: expected one stylesheet link")
    if re.search(r'(src|href)="https?://', html):
        raise ValueError("the animation HTML still refers to another host")
    html = html.replace("<img id=", f'<img alt="{escape(alt.strip())}" id=', 1)
    html = html.replace('class="anim-slider"', 'class="anim-slider" aria-label="Frame"', 1)
    return html


def embedding_animation_html(positions, w1_directions, titles, labels, alt: str,
                             xlabel: str = "along final W1",
                             ylabel: str = "orthogonal to W1") -> str:
    """An animation of embeddings moving in a plane, as offline HTML (see :func:`animation_html`).

    ``positions`` (frames, n, 2) holds each embedding's two coordinates in each frame, drawn
    as a marker with a trail behind it; ``w1_directions`` (frames, 2) a direction drawn as a
    grey arrow "W1" near the top; ``titles`` one title per frame and ``labels`` one legend
    entry per embedding. Both axes have the same scale, so directions are drawn true.
    """
    import matplotlib.pyplot as plt
    from matplotlib.animation import FuncAnimation

    positions = np.asarray(positions, dtype=float)
    w1_directions = np.asarray(w1_directions, dtype=float)
    titles, labels = list(titles), list(labels)
    if positions.ndim != 3 or positions.shape[2] != 2 or 0 in positions.shape[:2]:
        raise ValueError(f"positions must have shape (frames, embeddings, 2), got {positions.shape}")
    frames, n = positions.shape[:2]
    if w1_directions.shape != (frames, 2):
        raise ValueError(f"w1_directions must have shape ({frames}, 2), one direction per "
                         f"frame; got {w1_directions.shape}")
    if len(titles) != frames or len(labels) != n:
        raise ValueError(f"give one title per frame ({frames}) and one label per embedding "
                         f"({n}); got {len(titles)} titles and {len(labels)} labels")
    if not (np.isfinite(positions).all() and np.isfinite(w1_directions).all()):
        raise ValueError("positions and w1_directions must be finite numbers")

    fig, ax = plt.subplots(figsize=(4.8, 3.6), dpi=50, layout="constrained")
    pad = 0.4
    (x_low, y_low) = positions.min(axis=(0, 1)) - pad
    (x_high, y_high) = positions.max(axis=(0, 1)) + pad
    ax.set(xlim=(x_low, x_high), ylim=(y_low, y_high), aspect="equal",
           xlabel=xlabel, ylabel=ylabel)
    points = [ax.plot([], [], "os^Dv<>p"[k % 8], color=f"C{k}", ms=10, label=labels[k])[0]
              for k in range(n)]
    trails = [ax.plot([], [], "-", color=f"C{k}", lw=1)[0] for k in range(n)]
    arrow_base = np.array([(x_low + x_high) / 2, y_high - 0.35 * (y_high - y_low)])
    arrow_length = 0.25 * min(x_high - x_low, y_high - y_low)
    w1_arrow = ax.annotate("W1", xy=arrow_base, xytext=arrow_base, color="gray",
                           arrowprops={"arrowstyle": "<-", "color": "gray", "lw": 2})
    title = ax.set_title("")
    ax.legend(loc="upper left", fontsize=8)
    fig.canvas.draw()                    # lay the figure out once ...
    # ... and keep that layout for every frame: with no layout engine at all (None, not
    # "none"), saving a frame draws it once instead of twice, the same picture.
    fig.set_layout_engine(None)

    def draw(frame):
        for k in range(n):
            points[k].set_data([positions[frame, k, 0]], [positions[frame, k, 1]])
            trails[k].set_data(positions[: frame + 1, k, 0], positions[: frame + 1, k, 1])
        w1_arrow.set_position(tuple(arrow_base + arrow_length * w1_directions[frame]))
        title.set_text(titles[frame])

    # Saving draws each frame into its picture; FuncAnimation would also redraw the whole
    # canvas after each frame (draw_idle), a second draw that no picture uses: skipped, the
    # pictures are the same and take half the time.
    fig.canvas.draw_idle = lambda *args, **kwargs: None
    try:
        return animation_html(FuncAnimation(fig, draw, frames=frames), alt)
    finally:
        plt.close(fig)


PLACES = ((6, 4, "left"), (-6, 4, "right"), (6, -12, "left"), (-6, -12, "right"),
          (12, 14, "left"), (-12, 14, "right"), (12, -22, "left"), (-12, -22, "right"))


def label_points(ax, points, texts, fontsize: float = 7.5, places=PLACES):
    """Write ``texts[i]`` next to ``points[i]`` on ``ax``, covering no other point and no
    earlier label where it can.

    Each label tries the ``places`` in turn, an offset in points and a horizontal alignment,
    and keeps the first whose box (padded by 4 pixels) covers no other point and (padded by
    3) no label drawn before it; the last place if none is free. A thin line joins a label
    set further than 6 points sideways to its point. The figure is drawn once first, so
    that the boxes are measured where they end up: call this after everything else, the
    legend included, is on the axes. Returns the labels.
    """
    points = np.asarray(points, dtype=float)
    texts, places = [str(text) for text in texts], list(places)
    if points.ndim != 2 or points.shape[1] != 2:
        raise ValueError(f"points must have shape (n, 2), got {points.shape}")
    if len(texts) != len(points):
        raise ValueError(f"give one text per point: {len(points)} points, {len(texts)} texts")
    if not places:
        raise ValueError("give at least one place, (dx, dy, alignment), to put a label")
    from matplotlib.text import Text

    fig = ax.figure
    fig.canvas.draw()   # settle the layout first, so label boxes are measured where they end up
    renderer = fig.canvas.get_renderer()
    dots = ax.transData.transform(points)   # where the points are, in pixels
    leader = dict(arrowstyle="-", color="0.45", lw=0.6, shrinkA=0, shrinkB=3)
    placed, labels = [], []   # the boxes of the labels drawn so far, in pixels; the labels
    for i, ((x, y), text) in enumerate(zip(points, texts)):
        for attempt, (dx, dy, align) in enumerate(places):
            label = ax.annotate(text, (x, y), fontsize=fontsize, xytext=(dx, dy),
                                textcoords="offset points", ha=align,
                                arrowprops=leader if abs(dx) > 6 else None)
            # The text's own box: an annotation's extent would include its leader line.
            label.update_positions(renderer)
            box = Text.get_window_extent(label, renderer)
            covers_point = any(box.padded(4).contains(*dot)
                               for j, dot in enumerate(dots) if j != i)
            covers_label = any(box.padded(3).overlaps(other) for other in placed)
            if not (covers_point or covers_label) or attempt == len(places) - 1:
                break
            label.remove()
        placed.append(box)
        labels.append(label)
    return labels
