"""Category codes, checked (``as_category_codes``), and one-hot encoding (``one_hot``), as
chapter 1 teaches them. It imports NumPy only.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

__all__ = ["as_category_codes", "one_hot"]


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
