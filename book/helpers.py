"""Code that several chapters of the book share.

Every function here checks its input and raises a ``ValueError`` that says what
is wrong, because a silently wrong answer is the worst thing a teaching helper
can give.  Chapters import it with ``from helpers import ...``; it needs only
NumPy.
"""

from __future__ import annotations

import numbers
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


# --------------------------------------------------------------------------
# Exercises that check themselves
# --------------------------------------------------------------------------

NOT_SOLVED = Ellipsis
"""The placeholder a reader replaces with an answer: ``answer = ...``."""


def compare_arrays(answer: Any, expected: np.ndarray, name: str = "your answer",
                   atol: float = 1e-8, explain: Callable[[tuple], str] | None = None,
                   max_reports: int = 3) -> list[str]:
    """Say how ``answer`` differs from ``expected``; an empty list means "equal".

    ``explain(index)`` may return a sentence about why the entry at ``index``
    should have its expected value; it is added to the report of that entry.
    """
    try:
        given = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        return [f"{name} should be an array of numbers, got {type(answer).__name__}"]
    expected = np.asarray(expected, dtype=float)
    if given.shape != expected.shape:
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
    answer is right.  The solution itself lives in the chapter, in a dropdown
    the reader opens on purpose, not in this object.
    """

    def __init__(self, title: str, checker: Callable[[Any], Iterable[str]],
                 hint: str):
        if not callable(checker):
            raise ValueError("checker must be a function of the answer")
        self.title = title
        self._checker = checker
        self._hint = hint

    def problems(self, answer: Any) -> list[str]:
        """The list of problems with ``answer``; ``["not solved yet"]`` for ``...``."""
        if answer is NOT_SOLVED:
            return ["not solved yet: replace the `...` with your answer"]
        return [str(p) for p in self._checker(answer)]

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
# The chapters' exercises (kept here so a notebook does not show the answer)
# --------------------------------------------------------------------------

def _check_one_hot_exercise(answer: Any) -> list[str]:
    codes = (2, 0, 1, 2)

    def explain(index: tuple) -> str:
        row = index[0]
        return f"sample {row} is category {codes[row]}, so row {row} has its 1 in column {codes[row]}"

    return compare_arrays(answer, one_hot(codes, 4), "the one-hot matrix", explain=explain)


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

    return compare_arrays(answer, expected, "the gradient", explain=explain)


def _check_cost_exercise(answer: Any) -> list[str]:
    m, n, d = 32, 50_000, 16
    if isinstance(answer, bool) or not isinstance(answer, numbers.Number):
        return [f"the answer should be a number, got {type(answer).__name__}"]
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
    return [f"{answer} is not the number of multiply-adds of a ({m} x {n}) times "
            f"({n} x {d}) matrix product"]


EXERCISES = {
    "ch1-one-hot": Exercise(
        "one-hot by hand", _check_one_hot_exercise,
        "there are 4 rows (one per sample) and 4 columns (one per category); "
        "row r is all zeros except a 1 in the column of sample r's category."),
    "ch1-gradient": Exercise(
        "the gradient of W0", _check_gradient_exercise,
        "the gradient is OneHot(x).T @ delta: row k adds up the delta rows of the "
        "samples whose category is k, and is zero for a category not in the batch."),
    "ch1-cost": Exercise(
        "counting multiply-adds", _check_cost_exercise,
        "an (m x n) @ (n x d) product has m*d outputs, each a sum of n products."),
}


def exercise(label: str) -> Exercise:
    """The exercise with this label, e.g. ``exercise("ch1-one-hot")``."""
    try:
        return EXERCISES[label]
    except KeyError:
        raise ValueError(
            f"no exercise labelled {label!r}; known labels: {sorted(EXERCISES)}") from None
