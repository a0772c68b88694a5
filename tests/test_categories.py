"""Unit tests of book/categories.py: one-hot encoding, and clear errors for codes that
cannot be categories."""

from __future__ import annotations

import numpy as np
import pytest

from categories import as_category_codes, one_hot


def test_one_hot_of_the_toy_data_by_definition():
    encoded = one_hot([0, 1, 2, 2], 3)
    assert encoded.shape == (4, 3)
    for row, code in enumerate([0, 1, 2, 2]):
        assert encoded[row, code] == 1
        assert encoded[row].sum() == 1


@pytest.mark.parametrize("seed", range(5))
def test_one_hot_times_weights_is_row_lookup(seed):
    rng = np.random.default_rng(seed)
    n, d = rng.integers(1, 40, size=2)
    codes = rng.integers(0, n, size=rng.integers(1, 50))
    weights = rng.normal(size=(n, d))
    assert np.array_equal(one_hot(codes, n) @ weights, weights[codes])


def test_one_hot_accepts_numpy_integers_whole_floats_and_empty_input():
    assert np.array_equal(one_hot(np.array([2, 0], dtype=np.uint8), 3), one_hot([2, 0], 3))
    assert np.array_equal(one_hot([2.0, 0.0], 3), one_hot([2, 0], 3))
    assert one_hot([], 3).shape == (0, 3)
    assert np.array_equal(one_hot(np.array([2, 0], dtype=object), 3), one_hot([2, 0], 3))


def test_one_hot_dtype():
    assert one_hot([1], 2, dtype=np.float32).dtype == np.float32


@pytest.mark.parametrize("codes, n, message", [
    ([0, 1, -1], 3, "category code -1 at position 2 is out of range: codes must lie in 0..2"),
    ([0, 3], 3, "category code 3 at position 1 is out of range"),
    ([0, 1.5], 3, "whole numbers; code at position 1 is 1.5"),
    ([0, float("nan")], 3, "whole numbers; code at position 1 is nan"),
    (["a", "b"], 3, "got strings such as 'a'"),
    ("012", 3, "got the string '012'"),
    ([True, False], 3, "got booleans"),
    ([[0, 1], [1, 2]], 3, "1-D sequence (one code per sample), got an array of shape (2, 2)"),
    ([[0, 1], [2]], 3, "flat sequence of integers"),
    (2, 3, "got the single value 2; write [2]"),
    ([0, None], 3, "values of type object such as None"),
    ([1j], 3, "complex"),
    ([0, 1], 0, "n_categories must be a positive integer, got 0"),
    ([0, 1], 2.5, "n_categories must be a positive integer, got 2.5"),
    ([0, 1], True, "n_categories must be a positive integer"),
])
def test_one_hot_rejects_bad_input_with_a_clear_message(codes, n, message):
    with pytest.raises(ValueError) as error:
        one_hot(codes, n)
    assert message in str(error.value)


def test_as_category_codes_returns_int64():
    assert as_category_codes([1.0, 2.0], 3).dtype == np.int64
