"""Code that several chapters of the book share.

Every function here checks its input and raises a ``ValueError`` that says what
is wrong, because a silently wrong answer is the worst thing a teaching helper
can give.  Chapters import it with ``from helpers import ...``; it needs only
NumPy.
"""

from __future__ import annotations

import functools
import numbers
import re
from html import escape
from typing import Any, Callable, Iterable

import numpy as np

__all__ = [
    "as_category_codes",
    "one_hot",
    "compare_arrays",
    "Exercise",
    "NOT_SOLVED",
    "exercise",
    "OKABE_ITO",
    "use_book_style",
    "glue_value",
    "plain_number",
    "best_seconds",
    "ChapterTimer",
    "chapter_timer",
    "answer_number",
    "answer_array",
    "animation_html",
    "embedding_plane",
    "draw_embedding_moves",
    "sigmoid",
    "init_weights",
    "forward",
    "loss_and_gradients",
    "train_network",
    "TrainingHistory",
]


# --------------------------------------------------------------------------
# Categories and one-hot encoding
# --------------------------------------------------------------------------

def as_category_codes(codes: Any, n_categories: int) -> np.ndarray:
    """Return ``codes`` as a 1-D integer array, or raise ``ValueError``.

    Accepted: a sequence or 1-D array of whole numbers in ``[0, n_categories)``.
    Whole-valued floats (``2.0``) are accepted; ``2.5``, ``-1``, ``3`` when
    there are 3 categories, booleans, strings and 2-D input are rejected,
    because NumPy would otherwise truncate, wrap around or broadcast them.
    """
    if (isinstance(n_categories, bool) or not isinstance(n_categories, numbers.Integral)
            or n_categories < 1):
        raise ValueError(
            f"n_categories must be a positive integer, got {n_categories!r}")
    if isinstance(codes, (str, bytes)):
        raise ValueError(
            f"category codes must be integers, got the string {codes!r}; "
            "map strings to integer codes first")
    try:
        array = np.asarray(codes)
    except ValueError as error:  # ragged nested lists
        raise ValueError(f"category codes must be a flat sequence of integers: {error}") from None
    if array.ndim == 0:
        raise ValueError(
            f"category codes must be a 1-D sequence (one code per sample), got the single "
            f"value {array.item()!r}; write [{array.item()!r}] for a batch of one")
    if array.ndim != 1:
        raise ValueError(
            f"category codes must be a 1-D sequence (one code per sample), "
            f"got an array of shape {array.shape}")
    if array.dtype == bool:
        raise ValueError("category codes must be integers, got booleans")
    if array.size == 0:
        return array.astype(np.int64)
    if array.dtype == object and all(
            isinstance(v, numbers.Integral) and not isinstance(v, bool) for v in array.tolist()):
        array = array.astype(np.int64)  # e.g. a pandas column of Python ints
    if not np.issubdtype(array.dtype, np.number):
        kind = "strings" if array.dtype.kind in "US" else f"values of type {array.dtype}"
        example = next(value for value in array.tolist()
                       if isinstance(value, bool) or not isinstance(value, numbers.Integral))
        raise ValueError(
            f"category codes must be integers, got {kind} such as {example!r}; "
            "map labels to integer codes first")
    if np.issubdtype(array.dtype, np.complexfloating):
        raise ValueError("category codes must be integers, got complex numbers")
    if np.issubdtype(array.dtype, np.floating):
        bad = ~np.isfinite(array) | (array != np.round(array))
        if bad.any():
            position = int(np.flatnonzero(bad)[0])
            raise ValueError(
                f"category codes must be whole numbers; code at position "
                f"{position} is {array[position].item()!r}")
    out_of_range = (array < 0) | (array >= n_categories)
    if out_of_range.any():
        position = int(np.flatnonzero(out_of_range)[0])
        raise ValueError(
            f"category code {array[position].item()!r} at position {position} is out of "
            f"range: codes must lie in 0..{n_categories - 1} for "
            f"{n_categories} categories")
    return array.astype(np.int64)


def one_hot(codes: Any, n_categories: int, dtype: Any = np.float64) -> np.ndarray:
    """One-hot encode integer category codes.

    Returns an array of shape ``(len(codes), n_categories)`` whose row ``r`` is
    zero except for a 1 in column ``codes[r]``.  Bad codes raise ``ValueError``
    (see :func:`as_category_codes`).
    """
    checked = as_category_codes(codes, n_categories)
    encoded = np.zeros((checked.size, n_categories), dtype=dtype)
    encoded[np.arange(checked.size), checked] = 1
    return encoded


# --------------------------------------------------------------------------
# Numbers in the prose
# --------------------------------------------------------------------------

def plain_number(value: Any) -> float | int:
    """``value`` as a plain Python number, or ``ValueError`` if it is not one finite number.

    NumPy 2 scalars print as ``np.float64(...)``, which MyST-NB's glue cannot format.
    """
    if isinstance(value, (bool, np.bool_)):
        raise ValueError(f"a number was expected, got the boolean {value}")
    array = np.asarray(value)
    if array.ndim != 0 or not np.issubdtype(array.dtype, np.number):
        raise ValueError(f"a single number was expected, got {value!r}")
    number = array.item()
    if isinstance(number, complex) or (isinstance(number, float) and not np.isfinite(number)):
        raise ValueError(f"a finite real number was expected, got {number}")
    return number


def glue_value(name: str, value: Any) -> None:
    """Glue one number into the page's prose (MyST-NB's ``glue``), as a plain number.

    An array or a NaN in the prose is a mistake, so it is an error here, with or
    without MyST-NB installed.
    """
    try:
        number = plain_number(value)
    except ValueError as error:
        raise ValueError(f"glue {name!r}: {error}") from None
    try:
        from myst_nb import glue
    except ImportError:
        # Outside the book's environment (on Colab, say) there is no page to glue into,
        # and the glue shows nothing in a notebook anyway: the number was checked above.
        return
    glue(name, number, display=False)


def best_seconds(function: Callable[[], Any], min_total: float = 0.02,
                 repeats: int = 5, budget: float = 0.0) -> float:
    """Fastest time of one call of ``function``, in seconds.

    Calls it enough times in a row to fill ``min_total`` seconds (a single fast call is
    below the clock's resolution), repeats that ``repeats`` times, goes on repeating until
    ``budget`` seconds have passed since the start, and keeps the best, which measures the
    work rather than whatever else the machine was doing. On a machine busy with other
    programs, a small ``min_total`` with a ``budget`` gives many short repeats, some of
    which run undisturbed.
    """
    if not callable(function):
        raise ValueError(f"best_seconds needs a function to call, got {type(function).__name__}")
    if not (isinstance(min_total, numbers.Real) and min_total > 0):
        raise ValueError(f"min_total must be a positive number of seconds, got {min_total!r}")
    if isinstance(repeats, bool) or not isinstance(repeats, numbers.Integral) or repeats < 1:
        raise ValueError(f"repeats must be a positive integer, got {repeats!r}")
    if isinstance(budget, bool) or not (isinstance(budget, numbers.Real) and 0 <= budget < np.inf):
        raise ValueError(f"budget must be a number of seconds >= 0, got {budget!r}")
    import time
    import timeit

    started = time.perf_counter()
    timer = timeit.Timer(function)
    calls = 1
    while timer.timeit(number=calls) < min_total:
        calls *= 10
    best = min(timer.repeat(repeat=repeats, number=calls))
    while time.perf_counter() - started < budget:
        best = min(best, timer.timeit(number=calls))
    return best / calls


class ChapterTimer:
    """How long a chapter runs, measured by the chapter itself.

    Made in the chapter's first cell (``run_timer = chapter_timer()``); its last cell
    calls ``run_timer.glue()``, so the header's "How long it runs" is glued from the run
    that built the page instead of typed. The glue key must start with ``timing_``: the
    tests skip those keys when they compare two runs, since a time differs between runs.
    """

    def __init__(self) -> None:
        import time

        self._clock = time.perf_counter
        self.started = self._clock()

    def seconds(self) -> float:
        """Seconds since the timer was made."""
        return self._clock() - self.started

    def glue(self, name: str = "timing_run_seconds") -> None:
        """Glue the seconds since the timer was made under ``name``.

        Returns nothing, so that a notebook's last cell shows no number of its own."""
        if not isinstance(name, str) or not name.startswith("timing_"):
            raise ValueError(f"a run time's glue key must start with 'timing_' (the tests skip "
                             f"those keys when they compare two runs); got {name!r}")
        glue_value(name, self.seconds())


def chapter_timer() -> ChapterTimer:
    """Start measuring how long the chapter runs; see :class:`ChapterTimer`."""
    return ChapterTimer()


# --------------------------------------------------------------------------
# Figures
# --------------------------------------------------------------------------

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


# --------------------------------------------------------------------------
# Exercises that check themselves
# --------------------------------------------------------------------------

NOT_SOLVED = Ellipsis
"""The placeholder a reader replaces with an answer: ``answer = ...``."""


def _kind_of(value: Any) -> str:
    """How a message names a value that is not what an exercise asks for."""
    if value is None:
        return "None (a function that only prints returns None: assign the value itself)"
    if isinstance(value, (bool, np.bool_)):
        return f"the boolean {value}"
    if isinstance(value, (str, bytes)):
        text = repr(value)
        return f"the string {text if len(text) <= 30 else text[:27] + '...'} (remove the quotes)"
    if isinstance(value, dict):
        return "a dict (give the numbers themselves, as a list or an array)"
    if isinstance(value, (set, frozenset)):
        return "a set (a set has no order: use a list)"
    if callable(value):
        return (f"the function {getattr(value, '__name__', type(value).__name__)} "
                "(call it and give what it returns)")
    if isinstance(value, numbers.Complex) and not isinstance(value, numbers.Real):
        return f"the complex number {value}"
    if isinstance(value, numbers.Integral) and abs(value) > 10 ** 15:
        return f"a single number with {len(str(abs(int(value))))} digits"
    if isinstance(value, numbers.Real):
        return f"the single number {float(value):g}"
    if isinstance(value, (list, tuple)):
        return f"a {type(value).__name__} of {len(value)} values"
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    return f"a value of type {type(value).__name__}"


def answer_number(answer: Any, name: str = "the answer") -> tuple[float | int | None, list[str]]:
    """``(number, [])`` if ``answer`` is one finite real number, else ``(None, [why not])``.

    Integers stay integers, so that a count can be compared exactly; a 0-d array counts
    as the number it holds.
    """
    value = answer.item() if isinstance(answer, np.ndarray) and answer.ndim == 0 else answer
    if isinstance(value, (list, tuple, np.ndarray)):
        return None, [f"{name} should be one number, got {_kind_of(value)}"]
    if (isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Number)
            or (isinstance(value, numbers.Complex) and not isinstance(value, numbers.Real))):
        return None, [f"{name} should be one number, got {_kind_of(value)}"]
    try:
        as_float = float(value)
    except OverflowError:
        return None, [f"{name} is far too large: it has {len(str(abs(int(value))))} digits"]
    except (TypeError, ValueError):
        return None, [f"{name} should be one number, got {_kind_of(value)}"]
    if not np.isfinite(as_float):
        return None, [f"{name} is {as_float}, not a finite number: something in its "
                      "computation went wrong (0/0, an overflow, a log of 0...)"]
    if isinstance(value, numbers.Integral):
        return int(value), []
    return as_float, []


def answer_array(answer: Any, name: str = "your answer") -> tuple[np.ndarray | None, list[str]]:
    """``(array, [])`` if ``answer`` is an array of finite numbers (returned as floats),
    else ``(None, [why not])``. Booleans count as 0 and 1."""
    if (answer is None or isinstance(answer, (str, bytes, dict, set, frozenset, bool, np.bool_))
            or callable(answer)):
        return None, [f"{name} should be an array of numbers, got {_kind_of(answer)}"]
    try:
        array = np.asarray(answer)
    except ValueError:
        return None, [f"{name} has rows of different lengths: it is not an array of numbers"]
    except Exception:  # an object that refuses to become an array
        return None, [f"{name} should be an array of numbers, got {_kind_of(answer)}"]
    if array.dtype == object:
        if array.ndim == 0:
            return None, [f"{name} should be an array of numbers, got {_kind_of(array.item())}"]
        for index in np.ndindex(array.shape):
            problems = answer_number(array[index], f"entry {list(index)} of {name}")[1]
            if problems:
                return None, problems
        array = np.array([float(entry) for entry in array.flat]).reshape(array.shape)
    if array.dtype.kind in "US":
        first = next(iter(array.flat), "")
        return None, [f"{name} should be an array of numbers; it holds strings such as "
                      f"{str(first)!r} (remove the quotes)"]
    if array.dtype.kind == "c":
        return None, [f"{name} should hold real numbers, not complex ones"]
    if array.dtype.kind not in "biuf":
        return None, [f"{name} should be an array of numbers, got values of type {array.dtype}"]
    values = array.astype(float)
    bad = ~np.isfinite(values)
    if bad.any():
        index = [int(i) for i in np.argwhere(bad)[0]]
        where = f"entry {index} of {name}" if index else name
        return None, [f"{where} is {values[tuple(index)]}, not a finite number: something in "
                      "its computation went wrong (0/0, an overflow, a log of 0...)"]
    return values, []


def compare_arrays(answer: Any, expected: np.ndarray, name: str = "your answer",
                   atol: float = 1e-8, explain: Callable[[tuple], str] | None = None,
                   max_reports: int = 3) -> list[str]:
    """Say how ``answer`` differs from ``expected``; an empty list means "equal".

    ``explain(index)`` may return a sentence about why the entry at ``index``
    should have its expected value; it is added to the report of that entry.
    """
    given, problems = answer_array(answer, name)
    if problems:
        return problems
    expected = np.asarray(expected, dtype=float)
    if given.shape != expected.shape:
        if given.size == 0:
            return [f"{name} is empty, expected an array of shape {expected.shape}"]
        if given.ndim == 0:
            return [f"{name} is a single number, expected an array of shape {expected.shape}"]
        return [f"{name} has shape {given.shape}, expected shape {expected.shape}"]
    wrong = ~np.isclose(given, expected, atol=atol, rtol=0)
    problems = []
    for index in list(zip(*np.nonzero(wrong)))[:max_reports]:
        index = tuple(int(i) for i in index)
        message = (f"entry {list(index)} of {name} is {given[index]:g}, "
                   f"expected {expected[index]:g}")
        if explain is not None:
            reason = explain(index)
            if reason:
                message += f" ({reason})"
        problems.append(message)
    extra = int(wrong.sum()) - len(problems)
    if extra > 0:
        problems.append(f"... and {extra} more wrong entries")
    return problems


class Exercise:
    """An exercise whose answer the reader can check, with a hint.

    ``checker(answer)`` returns a list of problems (strings): empty when the
    answer is right.  The solution is explained in the chapter, in a dropdown
    the reader opens on purpose; ``solution`` is the answer exactly as that
    dropdown prints it, so the tests can check that the checker accepts it.
    """

    def __init__(self, title: str, checker: Callable[[Any], Iterable[str]],
                 hint: str, solution: Any = None):
        if not callable(checker):
            raise ValueError("checker must be a function of the answer")
        self.title = title
        self._checker = checker
        self._hint = hint
        self.solution = solution

    def problems(self, answer: Any) -> list[str]:
        """The list of problems with ``answer``; ``["not solved yet"]`` for ``...``."""
        if answer is NOT_SOLVED:
            return ["not solved yet: replace the `...` with your answer"]
        try:
            return [str(p) for p in self._checker(answer)]
        except Exception as error:  # defence in depth: each checker validates its input first
            return [f"could not check this answer ({type(error).__name__}: {error}); "
                    f"is it the kind of value the exercise asks for? Got {_kind_of(answer)}"]

    def check(self, answer: Any) -> bool:
        """Print whether ``answer`` is right, and what is wrong if not."""
        problems = self.problems(answer)
        if not problems:
            print(f"Correct! ({self.title})")
            return True
        if answer is NOT_SOLVED:
            print(f"{self.title}: {problems[0]}.")
            return False
        print(f"Not yet right ({self.title}):")
        for problem in problems:
            print(f"  - {problem}")
        return False

    def hint(self) -> None:
        """Print the hint."""
        print(f"Hint ({self.title}): {self._hint}")


# --------------------------------------------------------------------------
# The two-layer network of the source experiment, in NumPy
# --------------------------------------------------------------------------
# Shapes: codes (m,), targets (m,), W0 (n, d), W1 (d, 1). Every function also takes
# a stack of S independent runs, W0 (S, n, d) and W1 (S, d, 1), and then returns
# stacked results; that is how a later chapter trains hundreds of seeds at once.

LOSSES = ("half_sse", "cross_entropy")


def sigmoid(z: np.ndarray) -> np.ndarray:
    # Written with exp(-|z|) so that large |z| neither overflows nor warns.
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def init_weights(n_categories: int, embedding_dim: int, rng: np.random.Generator,
                 scale: float = 1.0, runs: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """W0 (n, d) and W1 (d, 1) drawn uniformly from [-scale, scale), as the source does
    with ``2 * random - 1``; with ``runs=S``, stacks of S independent draws."""
    if not isinstance(rng, np.random.Generator):
        raise ValueError("rng must be a numpy.random.Generator, e.g. np.random.default_rng(0)")
    lead = () if runs is None else (runs,)
    W0 = scale * (2 * rng.random(lead + (n_categories, embedding_dim)) - 1)
    W1 = scale * (2 * rng.random(lead + (embedding_dim, 1)) - 1)
    return W0, W1


def _check_network_input(codes, targets, W0, W1):
    W0, W1 = np.asarray(W0, dtype=float), np.asarray(W1, dtype=float)
    if W0.ndim not in (2, 3) or W1.ndim != W0.ndim:
        raise ValueError(
            f"W0 must have shape (n, d) (or (runs, n, d)) and W1 shape (d, 1) (or "
            f"(runs, d, 1)); got W0 {W0.shape} and W1 {W1.shape}")
    if W1.shape[-2:] != (W0.shape[-1], 1) or W1.shape[:-2] != W0.shape[:-2]:
        raise ValueError(
            f"W1 must have shape {W0.shape[:-2] + (W0.shape[-1], 1)} to follow W0 of shape "
            f"{W0.shape} (one output weight per embedding dimension); got {W1.shape}")
    codes = as_category_codes(codes, W0.shape[-2])
    if targets is not None:
        targets = np.asarray(targets, dtype=float)
        if targets.shape != codes.shape:
            raise ValueError(
                f"targets must have one value per sample, shape {codes.shape}; got {targets.shape}")
        if not np.all((targets >= 0) & (targets <= 1)):
            raise ValueError("targets must lie in [0, 1] for a sigmoid output")
    return codes, targets, W0, W1


def forward(codes, W0, W1) -> tuple[np.ndarray, np.ndarray]:
    """Hidden layer H = OneHot(codes) @ W0 (m, d) and output sigmoid(H @ W1) (m, 1)."""
    codes, _, W0, W1 = _check_network_input(codes, None, W0, W1)
    hidden = one_hot(codes, W0.shape[-2]) @ W0
    return hidden, sigmoid(hidden @ W1)


def loss_and_gradients(codes, targets, W0, W1, loss: str = "half_sse"):
    """The loss summed over samples, and its gradients with respect to W0 and W1.

    ``half_sse``: L = 1/2 sum (y - p)^2, output delta (y - p) p (1 - p), the source's rule.
    ``cross_entropy``: L = -sum [y log p + (1 - y) log(1 - p)], output delta y - p.
    Returns (L, dL/dW0, dL/dW1, p); gradient descent subtracts the gradients.
    """
    _check_loss(loss)
    codes, targets, W0, W1 = _check_network_input(codes, targets, W0, W1)
    return _loss_and_gradients(one_hot(codes, W0.shape[-2]), targets[:, None], W0, W1, loss)


def _check_loss(loss):
    if loss not in LOSSES:
        raise ValueError(f"loss must be one of {LOSSES}, got {loss!r}")


def _loss_and_gradients(X, y, W0, W1, loss):
    """The computation of :func:`loss_and_gradients` on checked input: X one-hot, y (m, 1)."""
    hidden = X @ W0
    z = hidden @ W1
    p = sigmoid(z)
    if loss == "half_sse":
        value = 0.5 * np.sum((y - p) ** 2, axis=(-2, -1))
        delta_out = (y - p) * p * (1 - p)              # = -dL/dz
    else:
        # log p = -log(1 + e^-z), written stably through logaddexp
        value = np.sum(y * np.logaddexp(0, -z) + (1 - y) * np.logaddexp(0, z), axis=(-2, -1))
        delta_out = y - p                              # = -dL/dz
    delta_hidden = delta_out @ np.swapaxes(W1, -1, -2)  # (m, d) = -dL/dH
    grad_W1 = -(np.swapaxes(hidden, -1, -2) @ delta_out)
    grad_W0 = -(X.T @ delta_hidden)
    return value, grad_W0, grad_W1, p


def _one_per_run(value, name, W0):
    """A number, or an array with one value per stacked run, shaped to broadcast."""
    array = np.asarray(value, dtype=float)
    if array.ndim == 0:
        return array
    if array.ndim == 1 and W0.ndim == 3 and array.shape[0] == W0.shape[0]:
        return array[:, None, None]
    raise ValueError(f"{name} must be a number, or one value per run for stacked weights; "
                     f"got shape {array.shape} for W0 of shape {W0.shape}")


class TrainingHistory:
    """What :func:`train_network` records: per-iteration loss and mean absolute error
    (before each update, as the source printed them), and weight snapshots."""

    def __init__(self, loss, mae, snapshots, W0, W1, outputs):
        self.loss, self.mae = loss, mae
        self.snapshots = snapshots        # {iteration: (W0, W1)} before that update
        self.W0, self.W1, self.outputs = W0, W1, outputs

    def __repr__(self):
        return (f"TrainingHistory({len(self.loss)} iterations, final loss "
                f"{np.ravel(self.loss[-1])}, final MAE {np.ravel(self.mae[-1])})")


def train_network(codes, targets, W0, W1, learning_rate: float = 0.1,
                  iterations: int = 60_000, loss: str = "half_sse",
                  snapshot_every: int | None = None,
                  weight_decay: float = 0.0) -> TrainingHistory:
    """Full-batch gradient descent from W0, W1 (copied, not changed).

    ``learning_rate`` and ``weight_decay`` may be arrays of shape (runs,) to give each
    stacked run its own value.
    ``weight_decay`` adds ``weight_decay * W`` to each gradient (an L2 penalty).
    """
    if isinstance(iterations, bool) or not isinstance(iterations, numbers.Integral) or iterations < 0:
        raise ValueError(f"iterations must be a whole number >= 0, got {iterations!r}")
    _check_loss(loss)
    codes, targets, W0, W1 = _check_network_input(codes, targets, W0, W1)
    X, y = one_hot(codes, W0.shape[-2]), targets[:, None]
    W0, W1 = W0.copy(), W1.copy()
    rate = _one_per_run(learning_rate, "learning_rate", W0)
    weight_decay = _one_per_run(weight_decay, "weight_decay", W0)
    lead = W0.shape[:-2]
    losses = np.empty((iterations + 1,) + lead)
    maes = np.empty((iterations + 1,) + lead)
    snapshots = {}
    for step in range(iterations + 1):
        if snapshot_every and step % snapshot_every == 0:
            snapshots[step] = (W0.copy(), W1.copy())
        try:
            with np.errstate(over="raise", invalid="raise"):
                value, grad_W0, grad_W1, p = _loss_and_gradients(X, y, W0, W1, loss)
                losses[step] = value
                maes[step] = np.mean(np.abs(y - p), axis=(-2, -1))
                if step == iterations:
                    break  # the last row records the trained weights; no update after it
                W0 -= rate * (grad_W0 + weight_decay * W0)
                W1 -= rate * (grad_W1 + weight_decay * W1)
        except FloatingPointError as error:
            raise ValueError(
                f"training diverged at iteration {step}: the weights overflowed float64 "
                f"({error}); use a smaller learning rate") from None
    return TrainingHistory(losses, maes, snapshots, W0, W1, p[..., 0])


# --------------------------------------------------------------------------
# The chapters' exercises (kept here so a notebook does not show the answer)
# --------------------------------------------------------------------------

def _check_one_hot_exercise(answer: Any) -> list[str]:
    codes = (2, 0, 1, 2)

    def explain(index: tuple) -> str:
        row = index[0]
        return f"sample {row} is category {codes[row]}, so row {row} has its 1 in column {codes[row]}"

    given, problems = answer_array(answer, "the one-hot matrix")
    if problems:
        return problems
    if given.shape == (4, 3):
        return ["the matrix has shape (4, 3), expected (4, 4): n = 4, so category 3 has a "
                "column even though no sample uses it"]
    return compare_arrays(given, one_hot(codes, 4), "the one-hot matrix", explain=explain)


def _check_gradient_exercise(answer: Any) -> list[str]:
    codes = (3, 1, 3)
    delta = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    expected = one_hot(codes, 4).T @ delta

    def explain(index: tuple) -> str:
        row = index[0]
        samples = [r for r, c in enumerate(codes) if c == row]
        if not samples:
            return f"category {row} is not in the batch, so its row gets exactly zero"
        return f"row {row} is the sum of the delta rows of samples {samples}, which are category {row}"

    given, problems = answer_array(answer, "the gradient")
    if problems:
        return problems
    if given.shape == expected.shape and np.allclose(given[:3], expected[:3]) and any(
            np.allclose(given[3], delta[r]) for r in (0, 2)):
        return ["row 3 holds the delta of only one of samples 0 and 2, both category 3: with a "
                "repeated index, G[x] += delta keeps only one of the additions; add them all, "
                "e.g. with np.add.at(G, x, delta)"]
    return compare_arrays(given, expected, "the gradient", explain=explain)


def _check_cost_exercise(answer: Any) -> list[str]:
    m, n, d = 32, 50_000, 16
    answer, problems = answer_number(answer, "the answer")
    if problems:
        return problems
    if answer < 0:
        return [f"{answer:g} is negative; a number of operations cannot be"]
    if answer == m * n * d:
        return []
    if answer == m * d:
        return ["m*d is how many numbers the lookup copies; the product computes each "
                "of those m*d outputs as a sum over all n categories"]
    if answer == m * n:
        return ["m*n is the number of entries of the one-hot matrix; each output "
                "entry needs n multiply-adds, and there are m*d outputs"]
    if answer == n * d:
        return ["n*d is the size of W0; every one of the m samples multiplies its "
                "one-hot row with all of it"]
    if answer == 2 * m * n * d:
        return ["that is 2*m*n*d: you counted multiplies and adds separately; count one "
                "multiply-add per product term"]
    return [f"{answer} is not the number of multiply-adds of a ({m} x {n}) times "
            f"({n} x {d}) matrix product"]


def _check_output_delta_exercise(answer: Any) -> list[str]:
    p, y = np.array([0.9, 0.2]), np.array([1.0, 1.0])
    expected = (y - p) * p * (1 - p)
    given, problems = answer_array(answer, "the output delta")
    if problems:
        return problems
    if given.shape == expected.shape:
        if np.allclose(given, y - p):
            return ["that is y - p, the cross-entropy delta; half the squared error also "
                    "multiplies by the sigmoid's derivative p (1 - p)"]
        if np.allclose(given, -expected):
            return ["the sign is flipped: the delta is y - p times p (1 - p), "
                    "which is minus dL/dz"]
    return compare_arrays(given, expected, "the output delta", atol=1e-6)


def _chapter_2_initial_weights(embedding_dim: int = 5):
    return init_weights(3, embedding_dim, np.random.default_rng(0))


def _check_bias_gradient_exercise(answer: Any) -> list[str]:
    W0, W1 = _chapter_2_initial_weights()
    _, _, _, p = loss_and_gradients([0, 1, 2, 2], [1, 1, 0, 0], W0, W1)
    delta_out = (np.array([[1], [1], [0], [0]]) - p) * p * (1 - p)
    expected = float(-delta_out.sum())
    if len(answer if isinstance(answer, (list, tuple)) else
           np.ravel(answer) if isinstance(answer, np.ndarray) else [answer]) > 1:
        return ["dL/db is a single number: the bias is shared by all samples, so "
                "their contributions add up"]
    given, problems = answer_number(answer, "dL/db")
    if problems:
        return problems
    # The solution prints 5 decimals: accept the answer to that precision.
    if abs(given + expected) <= 1e-5:
        return ["the sign is flipped: dL/dz = -delta, so dL/db = -(sum of the deltas)"]
    if abs(given - expected) > 1e-5:
        return [f"{given:.6g} is not dL/db at the chapter's initial weights"]
    return []


@functools.lru_cache(maxsize=2)
def _outputs_after_training(embedding_dim: int) -> np.ndarray:
    W0, W1 = _chapter_2_initial_weights(embedding_dim)
    return train_network([0, 1, 2, 2], [1, 1, 0, 0], W0, W1).outputs


def _check_embedding_size_exercise(answer: Any) -> list[str]:
    given, problems = answer_array(answer, "the final outputs")
    if problems:
        return problems
    # The solution prints the outputs rounded to 5 decimals: accept that precision.
    problems = compare_arrays(given, _outputs_after_training(2), "the final outputs", atol=1e-5)
    # Trained only for a wrong answer, so that a right one costs one training, not two.
    if problems and given.shape == (4,) and np.allclose(given, _outputs_after_training(5),
                                                        rtol=0, atol=1e-5):
        return ["these are the outputs of the 5-dimensional network; "
                "start again from init_weights(3, 2, np.random.default_rng(0))"]
    return problems


def _check_cosine_exercise(answer: Any) -> list[str]:
    similarity = -1 / np.sqrt(2)
    answer, problems = answer_number(answer, "the answer")
    if problems:
        return problems

    def near(value):  # the solution prints 3 decimals (1.707): accept that precision
        return abs(answer - value) <= 5e-4

    if near(similarity):
        return ["that is the cosine similarity; the distance is 1 minus it"]
    if near(1 + similarity):
        return ["check the sign of u . v: u = (1, 0) and v = (-1, 1) give u . v = -1"]
    if near(135) or near(3 * np.pi / 4):
        return ["that is the angle; the cosine distance is 1 - cos(angle)"]
    if not near(1 - similarity):
        return [f"{answer:g} is not 1 - cos(u, v)"
                + (": a cosine distance lies between 0 and 2" if not 0 <= answer <= 2 else "")]
    return []


def _check_orthogonal_exercise(answer: Any) -> list[str]:
    h, w1 = np.array([1.0, 2.0, 3.0]), np.array([0.0, 3.0, 4.0])
    along = (h @ w1) / (w1 @ w1) * w1
    given, problems = answer_array(answer, "the orthogonal part")
    if problems:
        return problems
    # The solution prints (1, -0.16, 0.12), exact decimals; 1e-6 leaves room for rounding.
    if given.shape == (3,):
        if np.allclose(given, along, rtol=0, atol=1e-6):
            return ["that is the part along W1; the orthogonal part is h minus it"]
        if abs(given @ w1) > 1e-5:
            return [f"your vector is not orthogonal to W1: its dot product with W1 is "
                    f"{given @ w1:g}, not 0"]
    return compare_arrays(given, h - along, "the orthogonal part", atol=1e-6)


def _check_sum_reduction_exercise(answer: Any) -> list[str]:
    answer, problems = answer_number(answer, "the learning rate")
    if problems:
        return problems
    if answer <= 0:
        return [f"a learning rate of {answer:g} would not descend: it must be positive"]
    if np.isclose(answer, 0.2):
        return ["0.2 matches the default reduction, the mean over the batch; with "
                "reduction='sum' the loss is no longer divided by m"]
    if np.isclose(answer, 0.1):
        return ["the summed squared error is twice the NumPy loss (which has a factor 1/2), "
                "so its gradient is twice as large"]
    if not np.isclose(answer, 0.05):
        return [f"with learning rate {answer:g}, one Keras step is {answer / 0.05:g} times "
                "the NumPy step"]
    return []


def _check_integer_lookup_exercise(answer: Any) -> list[str]:
    given, problems = answer_array(answer, "the looked-up indices")
    if problems:
        return problems
    if given.shape == (3,):
        if np.array_equal(given, [1, -1, 0]) or np.array_equal(given, [1, 0, 0]):
            return ["IntegerLookup reserves index 0 for out-of-vocabulary values, so the "
                    "vocabulary starts at index 1"]
    return compare_arrays(given, [2, 0, 1], "the looked-up indices")


def _check_parameters_exercise(answer: Any) -> list[str]:
    answer, problems = answer_number(answer, "the number of weights")
    if problems:
        return problems
    if answer != int(answer) or answer < 0:
        return [f"the answer should be one whole number of weights, at least 0; got {answer!r}"]
    with_oov, without_oov = (600 + 8000 + 2) * 17, (600 + 8000) * 17
    if answer == without_oov:
        return ["each table also has the out-of-vocabulary row, one more row per table"]
    if answer == (600 + 8000 + 2) * 16:
        return ["the two bias tables (width 1) hold weights too"]
    if answer != with_oov:
        return [f"{int(answer):,} is not the count; add up the rows times the widths of all "
                "four tables"]
    return []


def _check_neighbour_exercise(answer: Any) -> list[str]:
    if isinstance(answer, np.ndarray) and answer.ndim == 1:
        answer = answer.tolist()
    if (not isinstance(answer, (tuple, list)) or len(answer) != 2
            or not all(isinstance(letter, str) for letter in answer)):
        got = _kind_of(answer)
        if isinstance(answer, (tuple, list)) and len(answer) == 2:
            got += ", not both strings"
        return [f"the answer should be two letters, for example (\"B\", \"C\"); got {got}"]
    by_cosine, by_distance = (letter.strip().upper() for letter in answer)
    not_films = [letter for letter in (by_cosine, by_distance) if letter not in ("B", "C", "D")]
    if not_films:
        return [f"{not_films[0]!r} is not one of A's possible neighbours, the films B, C and D"]
    problems = []
    if by_cosine != "B":
        problems.append(f"by cosine the nearest is not {by_cosine}: compare the angles, "
                        "not the lengths")
    if by_distance != "C":
        problems.append(f"by Euclidean distance the nearest is not {by_distance}: compute "
                        "|A - X| for each X")
    return problems


def _check_rows_moved_exercise(answer: Any) -> list[str]:
    if isinstance(answer, np.ndarray) and answer.ndim == 1:
        answer = answer.tolist()
    if not isinstance(answer, (set, frozenset, list, tuple)):
        return [f"the answer should be a set of row numbers, for example {{0, 1}}; got "
                f"{_kind_of(answer)}"]
    given = set()
    for row in answer:
        number, problems = answer_number(row, f"the row {row!r}")
        if problems:
            return problems
        if number != int(number) or not 0 <= number < 10:
            return [f"{number!r} is not a row of the table: rows are whole numbers 0 to 9"]
        given.add(int(number))
    problems = []
    if given - {3, 5, 8}:
        problems.append(f"rows {sorted(given - {3, 5, 8})} are not in the batch, so their "
                        "gradient is zero")
    if {3, 5, 8} - given:
        problems.append(f"rows {sorted({3, 5, 8} - given)} are looked up, so they get a "
                        "gradient")
    return problems


def _two_numbers(answer: Any, names: tuple[str, str]) -> tuple[tuple | None, list[str]]:
    """``answer`` as a pair of finite numbers, or ``(None, [why not])``."""
    if isinstance(answer, np.ndarray) and answer.ndim == 1:
        answer = answer.tolist()
    if not isinstance(answer, (tuple, list)) or len(answer) != 2:
        return None, [f"the answer should be two numbers: ({names[0]}, {names[1]}); "
                      f"got {_kind_of(answer)}"]
    pair = []
    for value, name, which in zip(answer, names, ("first", "second")):
        number, problems = answer_number(value, f"{name} (the {which} of your two numbers)")
        if problems:
            return None, problems
        pair.append(number)
    return tuple(pair), []


def _check_trainable_exercise(answer: Any) -> list[str]:
    counts, problems = _two_numbers(answer, ("frozen", "fine-tuned"))
    if problems:
        return problems
    frozen, tuned = counts
    problems = []
    if frozen == 32:
        problems.append("frozen: the output unit has a bias as well as 32 weights")
    elif frozen != 33:
        problems.append(f"frozen: {frozen} is not right; only the output unit learns")
    if tuned != 7158 * 32 + 33:
        problems.append(f"fine-tuned: {tuned} is not right; the table's 7,158 x 32 weights "
                        "learn as well as the output unit")
    return problems


def _check_collisions_exercise(answer: Any) -> list[str]:
    answer, problems = answer_number(answer, "the fraction")
    if problems:
        return problems
    if not 0 <= answer <= 1:
        return [f"{answer:g} is not a fraction: a fraction of the categories lies between 0 and 1"]
    expected = 1 - (1 - 1 / 10_000) ** 999
    if np.isclose(answer, 0.1, atol=1e-9) or np.isclose(answer, 1_000 / 10_000, atol=1e-9):
        return ["1,000/10,000 is the expected number of other categories in a row, an "
                "approximation; compute the chance of sharing with at least one of 999 others"]
    if not np.isclose(answer, expected, atol=5e-4):
        return [f"{answer:g} is not it: the chance of avoiding one other category is "
                "1 - 1/10,000, and there are 999 others"]
    return []


def _check_table_memory_exercise(answer: Any) -> list[str]:
    pair, problems = _two_numbers(answer, ("the table", "table plus Adam's state"))
    if problems:
        return problems
    table, with_adam = pair
    if np.isclose(table, 2.56e9) or np.isclose(table, 5.12e9) or np.isclose(with_adam, 7.68e9):
        return ["this looks like bytes; the answer is in gigabytes (10⁹ bytes): divide by 1e9"]
    problems = []
    if np.isclose(table, 5.12):
        problems.append("float32 has 4 bytes a number, not 8")
    elif not np.isclose(table, 2.56):
        problems.append(f"the table: {table:g} GB is not right; rows x width x bytes per number")
    if not np.isclose(with_adam, 3 * 2.56):
        problems.append(f"with Adam: {with_adam:g} GB is not right; Adam keeps two moment "
                        "tables, each as large as the table")
    return problems


def _check_adam_repeat_exercise(answer: Any) -> list[str]:
    ratio, problems = answer_number(answer, "the ratio of the two steps")
    if problems:
        return problems
    # The solution prints 3 decimals (1.414); sqrt(2) to two decimals (1.41) is right too.
    if abs(ratio - np.sqrt(2)) <= 5e-3:
        return []
    if np.isclose(ratio, 1, atol=1e-3):
        return ["with a repeated category the two forms square different things: the Dense "
                "layer squares the summed gradient (2g)^2, the Embedding each copy, g^2 + g^2"]
    if np.isclose(ratio, 2, atol=1e-3) or np.isclose(ratio, 4, atol=1e-3):
        return ["that compares the second moments or their squares (4g^2 against 2g^2); "
                "the step divides the first moment by the square root of the second"]
    if np.isclose(ratio, 1 / np.sqrt(2), atol=1e-3) or np.isclose(ratio, 0.5, atol=1e-3):
        return ["upside down: the Embedding's second moment is the smaller one, so its "
                "step is the longer one"]
    return [f"{ratio:g} is not the ratio; write Adam's first and second moments of row 2 "
            "after one step, for each form"]


@functools.lru_cache(maxsize=1)
def _robustness_fractions() -> dict[str, float]:
    """Chapter 3's robustness study at width 30: 100 starts from default_rng(7), 10,000
    iterations at rate 0.1. Trained in the coordinates of the span of W1 and the initial
    rows (a width-4 network with the same dot products), so it takes well under a second.
    Returns the fraction of runs where d(0,1) < d(0,2) and d(0,1) < d(1,2) ("right"), and
    what typical mistakes give."""
    codes, targets = np.array([0, 1, 2, 2]), np.array([1.0, 1.0, 0.0, 0.0])
    W0, W1 = init_weights(3, 30, np.random.default_rng(7), runs=100)
    basis = np.linalg.qr(np.concatenate([np.swapaxes(W0, 1, 2), W1], axis=2))[0]
    start, w1 = W0 @ basis, (np.swapaxes(basis, 1, 2) @ W1)[..., 0]
    rows, per_category = start.copy(), one_hot(codes, 3)
    for _ in range(10_000):
        z = np.einsum("snd,sd->sn", rows, w1)[:, codes]
        p = 0.5 + 0.5 * np.tanh(0.5 * z)                      # the sigmoid, in fewer steps
        c = ((targets - p) * p * (1 - p)) @ per_category     # deltas added up per category
        w1_step = np.einsum("sn,snd->sd", c, rows)
        rows += 0.1 * c[:, :, None] * w1[:, None, :]
        w1 += 0.1 * w1_step

    def distances(stack):   # cosine distances d(0,1), d(0,2), d(1,2) of each run
        unit = stack / np.linalg.norm(stack, axis=2, keepdims=True)
        return 1 - (unit @ np.swapaxes(unit, 1, 2))[:, [0, 0, 1], [1, 2, 2]]

    def holds(d):
        return float(np.mean((d[:, 0] < d[:, 1]) & (d[:, 0] < d[:, 2])))

    after = distances(rows)
    return {"right": holds(after), "before": holds(distances(start)),
            "only_02": float(np.mean(after[:, 0] < after[:, 1]))}


def _check_robustness_exercise(answer: Any) -> list[str]:
    fraction, problems = answer_number(answer, "the fraction")
    if problems:
        return problems
    expected = _robustness_fractions()
    right = expected["right"]

    def near(value):   # within half a run of 100: the solution prints two decimals
        return abs(fraction - value) <= 0.005

    if near(right):
        return []
    if 1 < fraction <= 100 and abs(fraction / 100 - right) <= 0.005:
        return ["that looks like a percentage, or a count of the 100 runs; give the "
                "fraction, a number between 0 and 1"]
    if not 0 <= fraction <= 1:
        return [f"{fraction:g} is not a fraction of the runs: that lies between 0 and 1"]
    if near(1 - right):
        return ["that is the fraction of runs in which the ordering fails; give the fraction "
                "in which it holds"]
    if near(expected["only_02"]):
        return ["that compares d(0,1) with d(0,2) only; the ordering also needs "
                "d(0,1) < d(1,2)"]
    if near(expected["before"]):
        return ["that is the fraction before training; train the 100 runs for 10,000 "
                "iterations first"]
    if near(1.0):
        return ["at width 30 not every run keeps the ordering (at width 5 all of them did); "
                "check that you trained the width-30 starts"]
    return [f"{fraction:g} is not the fraction of the 100 runs in which d(0,1) ends smaller "
            "than both d(0,2) and d(1,2) after 10,000 iterations"]


def _letter_choice(value: Any, name: str, allowed: str) -> tuple[str | None, list[str]]:
    """``value`` as one lower-case letter among ``allowed`` ("(b)", " B " are fine)."""
    if not isinstance(value, str):
        return None, [f"{name} should be one letter, got {_kind_of(value)}"]
    letter = value.strip().strip("()").strip().lower()
    if len(letter) != 1 or letter not in allowed:
        return None, [f"{name} should be one of the letters {', '.join(allowed)}; got {value!r}"]
    return letter, []


def _check_which_rows_exercise(answer: Any) -> list[str]:
    if not isinstance(answer, (tuple, list)) or len(answer) != 2:
        return ["the answer should be two letters in order, (shared, disjoint), for example "
                f"(\"a\", \"b\"); got {_kind_of(answer)}"]
    letters = []
    for value, setting in zip(answer, ("shared", "disjoint")):
        letter, problems = _letter_choice(value, f"the {setting} setting's answer", "abcde")
        if problems:
            return problems
        letters.append(letter)
    shared, disjoint = letters
    why = {
        "e": "a film with no genre label here is in no batch, so its row gets no gradient",
        "a": "the training films are in every batch, so their rows get a gradient and move",
        "c": "the validation films' drama labels are used to choose, not to train; what else "
             "the fine-tuning data hold about them decides",
    }
    problems = []
    if shared != "d":
        problems.append(f"shared: not ({shared}); " + why.get(
            shared, "the validation and test films' other genres are in the fine-tuning "
                    "data too, so their rows get a gradient"))
    if disjoint != "b":
        problems.append(f"disjoint: not ({disjoint}); " + why.get(
            disjoint, "the validation and test films bring nothing to the fine-tuning data, "
                      "so their rows get no gradient"))
    return problems


def _letter_set(value: Any, name: str) -> tuple[set | None, list[str]]:
    """A set of the letters a, b, c from a set, list or tuple of letters, or a string."""
    if isinstance(value, str):
        value = [part for part in value.replace(",", " ").split() if part]
        if len(value) == 1 and len(value[0]) > 1 and value[0].isalpha():
            value = list(value[0])                  # "abc" means a, b and c
    if not isinstance(value, (set, frozenset, list, tuple)):
        return None, [f"{name} should be a set of letters such as {{\"a\", \"c\"}}; got "
                      f"{_kind_of(value)}"]
    letters = set()
    for item in value:
        letter, problems = _letter_choice(item, f"each letter of {name}", "abc")
        if problems:
            return None, problems
        letters.add(letter)
    return letters, []


def _check_adam_scale_exercise(answer: Any) -> list[str]:
    if not isinstance(answer, (tuple, list)) or len(answer) != 2:
        return ["the answer should be two sets of letters in order, (Adam, SGD), for example "
                f"({{\"a\"}}, {{\"b\", \"c\"}}); got {_kind_of(answer)}"]
    adam, problems = _letter_set(answer[0], "the Adam answer")
    if problems:
        return problems
    sgd, problems = _letter_set(answer[1], "the SGD answer")
    if problems:
        return problems
    problems = []
    for letter in sorted(adam & {"a", "c"}):
        problems.append(f"Adam: ({letter}) scales the gradient, and Adam divides its running "
                        "mean of the gradient by the root of its running mean square, so the "
                        "scale cancels")
    if "b" not in adam:
        problems.append("Adam: the learning rate multiplies Adam's step directly")
    for letter in sorted({"a", "b", "c"} - sgd):
        problems.append(f"SGD: ({letter}) changes the step too: SGD's step is the learning rate "
                        "times the gradient, and (a) and (c) scale the gradient")
    return problems


# Chapter 5's cold-start exercise: the shares of test ratings from new users and of new films
# after the cut of cut_dates(ratings, (0.6, 0.2, 0.2)). tests/test_movielens.py recomputes
# them from the data.
_COLD_SHARES_60 = (0.9208, 0.4218)        # new user (with or without a new film), new film
_COLD_ONLY_60 = (0.5653, 0.0662)          # "new user" alone, "new film" alone
_COLD_SHARES_80 = (0.9028, 0.2239)        # the chapter's own 80/10/10 cut


def _check_cold_share_exercise(answer: Any) -> list[str]:
    pair, problems = _two_numbers(answer, ("the share from new users", "the share of new films"))
    if problems:
        return problems
    users, films = pair

    def near(value, target):
        return abs(value - target) < 0.002

    if any(value > 1 or value < 0 for value in pair):
        if all(0 <= value <= 100 for value in pair) and near(users / 100, _COLD_SHARES_60[0]) \
                and near(films / 100, _COLD_SHARES_60[1]):
            return ["give the shares as fractions between 0 and 1, not as percentages"]
        return ["a share is a fraction between 0 and 1"]
    if near(users, _COLD_SHARES_60[1]) and near(films, _COLD_SHARES_60[0]):
        return ["the two shares are swapped: new users first, then new films"]
    if near(users, _COLD_SHARES_80[0]) and near(films, _COLD_SHARES_80[1]):
        return ["these are the shares of the chapter's 80/10/10 cut; make the cut with "
                "cut_dates(ratings, (0.6, 0.2, 0.2))"]
    problems = []
    if near(users, _COLD_ONLY_60[0]):
        problems.append("the share from new users leaves out the ratings of a new film by a new "
                        "user; they count in both shares")
    elif not near(users, _COLD_SHARES_60[0]):
        problems.append(f"{users:g} is not the share of test ratings whose user has no training "
                        "rating; count the labels 'new user' and 'new user and film' of "
                        "cold_start(test, train)")
    if near(films, _COLD_ONLY_60[1]):
        problems.append("the share of new films leaves out the ratings of a new film by a new "
                        "user; they count in both shares")
    elif not near(films, _COLD_SHARES_60[1]):
        problems.append(f"{films:g} is not the share of test ratings whose film has no training "
                        "rating; count the labels 'new film' and 'new user and film'")
    return problems


_WIDTH_TABLE = {4: (0.9012, 0.9131), 16: (0.8968, 0.9102), 64: (0.8975, 0.9089),
                256: (0.8991, 0.9107)}   # width: (validation RMSE, test RMSE)


def _check_choose_width_exercise(answer: Any) -> list[str]:
    pair, problems = _two_numbers(answer, ("the width", "the test RMSE"))
    if problems:
        return problems
    width, reported = pair
    if width not in _WIDTH_TABLE:
        return [f"{width:g} is not one of the widths in the table: 4, 16, 64 or 256"]
    problems = []
    if width == 64:
        problems.append("d = 64 has the lowest test RMSE, but the test set must not choose: "
                        "choose by the validation RMSE")
    elif width != 16:
        problems.append(f"d = {width:g} does not have the lowest validation RMSE")
    if any(abs(reported - valid) < 5e-5 for valid, _ in _WIDTH_TABLE.values()):
        problems.append("that is a validation RMSE; report the chosen model's test RMSE")
    elif any(abs(reported - test) < 5e-5 for _, test in _WIDTH_TABLE.values()) \
            and abs(reported - _WIDTH_TABLE[width][1]) >= 5e-5:
        problems.append(f"report the test RMSE of the width you chose (d = {width:g}), "
                        "not another model's")
    elif abs(reported - _WIDTH_TABLE[width][1]) >= 5e-5:
        problems.append(f"report the test RMSE of the width you chose (d = {width:g}) as the "
                        "table prints it, to four decimals")
    return problems


def _check_advice_exercise(answer: Any) -> list[str]:
    if not isinstance(answer, (tuple, list)) or len(answer) != 2:
        return ["the answer should be two letters in order, (team 1, team 2), for example "
                f"(\"a\", \"b\"); got {_kind_of(answer)}"]
    letters = []
    for value, team in zip(answer, ("team 1", "team 2")):
        letter, problems = _letter_choice(value, f"{team}'s answer", "abcd")
        if problems:
            return problems
        letters.append(letter)
    first, second = letters
    problems = []
    if first != "b":
        problems.append(f"team 1: not ({first}); " + {
            "a": "Adam with one rate lost to the frozen table when the test films' rows could "
                 "not move",
            "c": "films in no fine-tuning data keep their rows: fine-tuning gained nothing "
                 "measurable over the frozen table there, and costs more",
            "d": "films added next month carry no labels yet to give as inputs"}[first])
    if second != "d":
        problems.append(f"team 2: not ({second}); " + {
            "a": "Adam with one rate did not beat the frozen table on average",
            "b": "these films' other labels are known: the frozen table alone leaves that "
                 "signal unused",
            "c": "it beat the frozen table, but another option beat every fine-tuned arm"}[second])
    return problems



EXERCISES = {
    "ch1-one-hot": Exercise(
        "one-hot by hand", _check_one_hot_exercise,
        "there are 4 rows (one per sample) and 4 columns (one per category); "
        "row r is all zeros except a 1 in the column of sample r's category.",
        solution=[[0, 0, 1, 0], [1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0]]),
    "ch1-gradient": Exercise(
        "the gradient of W0", _check_gradient_exercise,
        "the gradient is OneHot(x).T @ delta: row k adds up the delta rows of the "
        "samples whose category is k, and is zero for a category not in the batch.",
        solution=[[0.0, 0.0], [3.0, 4.0], [0.0, 0.0], [6.0, 8.0]]),
    "ch1-cost": Exercise(
        "counting multiply-adds", _check_cost_exercise,
        "an (m x n) @ (n x d) product has m*d outputs, each a sum of n products.",
        solution=25_600_000),
    "ch2-output-delta": Exercise(
        "the output delta", _check_output_delta_exercise,
        "differentiate 1/2 (y - p)^2 with respect to z, where p = sigmoid(z) and "
        "sigmoid'(z) = p (1 - p); the delta is minus that.",
        solution=[0.009, 0.128]),
    "ch2-bias-gradient": Exercise(
        "the gradient of an output bias", _check_bias_gradient_exercise,
        "z = H W1 + b, so dz/db = 1 for every sample: dL/db adds up dL/dz over the samples.",
        solution=-0.14996),
    "ch2-embedding-size": Exercise(
        "two-dimensional embeddings", _check_embedding_size_exercise,
        "only the shapes change: init_weights(3, 2, np.random.default_rng(0)), then "
        "train_network with the source's settings, and read .outputs.",
        solution=[0.99786, 0.99798, 0.00139, 0.00139]),
    "ch3-cosine": Exercise(
        "a cosine distance by hand", _check_cosine_exercise,
        "cos(u, v) = u . v / (|u| |v|), and the cosine distance is 1 - cos(u, v).",
        solution=1.707),
    "ch3-orthogonal": Exercise(
        "the part the output cannot see", _check_orthogonal_exercise,
        "the part of h along W1 is (h . W1 / W1 . W1) W1; subtract it from h.",
        solution=[1, -0.16, 0.12]),
    "ch3-robustness": Exercise(
        "the robustness study at width 30", _check_robustness_exercise,
        "span_coordinates turns the 100 starts into width-4 networks, train_runs trains "
        "them all at once; then pair_distances, and the mean of holds over the runs.",
        solution=0.74),
    "ch4-sum-reduction": Exercise(
        "a learning rate for reduction='sum'", _check_sum_reduction_exercise,
        "write the Keras loss with reduction='sum' in terms of the NumPy loss "
        "L = 1/2 sum (y - p)^2, then scale the learning rate so that the steps match.",
        solution=0.05),
    "ch4-integer-lookup": Exercise(
        "IntegerLookup by hand", _check_integer_lookup_exercise,
        "with one out-of-vocabulary index, IntegerLookup gives index 0 to unknown values "
        "and numbers the vocabulary from 1 in the order given.",
        solution=[2, 0, 1]),
    "ch4-adam-repeat": Exercise(
        "one Adam step with a repeated category", _check_adam_repeat_exercise,
        "after one step Adam moves each entry by the learning rate times m / sqrt(v), with m "
        "the gradient and v its square; in which form are the two copies of g added before "
        "they are squared?",
        solution=1.414),
    "ch5-parameters": Exercise(
        "counting the rating model's weights", _check_parameters_exercise,
        "four tables: users x d, films x d, users x 1, films x 1, each with one extra row "
        "for out-of-vocabulary ids.",
        solution=146_234),
    "ch5-neighbour": Exercise(
        "cosine against distance", _check_neighbour_exercise,
        "cosine similarity depends only on the angle between two vectors; a vector and twice "
        "that vector have cosine similarity 1.",
        solution=("B", "C")),
    "ch5-cold-share": Exercise(
        "the cold share of another cut", _check_cold_share_exercise,
        "split = split_at_dates(ratings, *cut_dates(ratings, (0.6, 0.2, 0.2))), then "
        "cold_start(split['test'], split['train']) labels each test rating; a share is the "
        "mean of a True/False column.",
        solution=(0.921, 0.422)),
    "ch5-choose-width": Exercise(
        "choosing a width", _check_choose_width_exercise,
        "one set chooses, the other reports: which one may you look at while choosing?",
        solution=(16, 0.9102)),
    "ch6-rows-moved": Exercise(
        "which rows a step moves", _check_rows_moved_exercise,
        "the gradient of a lookup is zero for every row that was not looked up.",
        solution={3, 5, 8}),
    "ch6-trainable": Exercise(
        "frozen and trainable weights", _check_trainable_exercise,
        "a frozen layer's weights are not updated; a Dense unit on 32 inputs has 32 weights "
        "and a bias.",
        solution=(33, 229_089)),
    "ch6-which-rows": Exercise(
        "which rows fine-tuning moves, in each setting", _check_which_rows_exercise,
        "a row moves only if its film is in the fine-tuning data: what do those data hold "
        "about the validation and test films in each setting, and about a film with no "
        "genre label?",
        solution=("d", "b")),
    "ch6-adam-scale": Exercise(
        "what sets the size of Adam's first step", _check_adam_scale_exercise,
        "Adam's first step is the learning rate times m / (sqrt(v) + epsilon), where m and v "
        "are running means of the gradient and of its square; SGD's is the learning rate "
        "times the gradient.",
        solution=({"b"}, {"a", "b", "c"})),
    "ch6-advice": Exercise(
        "advice on fine-tuning, from the measurements", _check_advice_exercise,
        "for each team, ask whether its films' rows can move during fine-tuning, and what "
        "else is known about those films.",
        solution=("b", "d")),
    "ch7-collisions": Exercise(
        "hash collisions", _check_collisions_exercise,
        "the chance that none of the other 999 categories lands in a given row is "
        "(1 - 1/10,000) to the power 999.",
        solution=0.095),
    "ch7-table-memory": Exercise(
        "the memory of a table", _check_table_memory_exercise,
        "a float32 number takes 4 bytes; multiply rows, width and 4.",
        solution=(2.56, 7.68)),
}


def exercise(label: str) -> Exercise:
    """The exercise with this label, e.g. ``exercise("ch1-one-hot")``."""
    try:
        return EXERCISES[label]
    except KeyError:
        raise ValueError(
            f"no exercise labelled {label!r}; known labels: {sorted(EXERCISES)}") from None
