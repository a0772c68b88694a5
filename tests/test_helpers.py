"""Unit tests of book/helpers.py: right answers, and clear errors for bad input."""

from __future__ import annotations

import numpy as np
import pytest

from helpers import (NOT_SOLVED, Exercise, as_category_codes, compare_arrays, exercise,
                     one_hot)


# ---------------------------------------------------------------- one_hot

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


# ---------------------------------------------------------------- compare_arrays

def test_compare_arrays_equal_and_shape_and_entries():
    expected = np.eye(2)
    assert compare_arrays([[1, 0], [0, 1]], expected) == []
    assert compare_arrays([1, 0], expected) == [
        "your answer has shape (2,), expected shape (2, 2)"]
    problems = compare_arrays([[1, 0], [0, 5]], expected, "M",
                              explain=lambda index: f"why {index}")
    assert problems == ["entry [1, 1] of M is 5, expected 1 (why (1, 1))"]
    assert "array of numbers" in compare_arrays(["x"], expected)[0]


def test_compare_arrays_caps_the_report():
    problems = compare_arrays(np.zeros(10), np.ones(10), max_reports=3)
    assert len(problems) == 4 and problems[-1] == "... and 7 more wrong entries"


# ---------------------------------------------------------------- Exercise

def make_square_exercise():
    return Exercise("square of 3", lambda answer: [] if answer == 9 else
                    [f"{answer} is not 3 squared"], "multiply 3 by itself")


def test_exercise_right_wrong_and_unsolved(capsys):
    square = make_square_exercise()
    assert square.check(9) is True
    assert "Correct!" in capsys.readouterr().out
    assert square.check(6) is False
    assert "6 is not 3 squared" in capsys.readouterr().out
    assert square.check(NOT_SOLVED) is False
    assert "not solved yet" in capsys.readouterr().out
    square.hint()
    assert "multiply 3 by itself" in capsys.readouterr().out


def test_exercise_needs_a_checker_function():
    with pytest.raises(ValueError, match="checker must be a function"):
        Exercise("broken", "not a function", "")


def test_unknown_exercise_label_lists_the_known_ones():
    with pytest.raises(ValueError, match="ch1-one-hot"):
        exercise("ch9-nothing")


# ---------------------------------------------------------------- chapter 1's exercises
# Right answers are worked out from the definitions here, not copied from a run.

def test_chapter_1_one_hot_exercise():
    ex = exercise("ch1-one-hot")
    right = [[0, 0, 1, 0], [1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0]]
    assert ex.problems(right) == []
    assert ex.problems(np.array(right, dtype=float)) == []
    wrong = [[0, 0, 1, 0], [1, 0, 0, 0], [0, 1, 0, 0], [0, 1, 0, 0]]
    problems = ex.problems(wrong)
    assert any("sample 3 is category 2" in p for p in problems), problems
    assert "expected shape (4, 4)" in ex.problems(np.eye(3))[0]
    assert ex.problems(NOT_SOLVED)[0].startswith("not solved yet")


def test_chapter_1_gradient_exercise():
    ex = exercise("ch1-gradient")
    right = [[0, 0], [3, 4], [0, 0], [1 + 5, 2 + 6]]
    assert ex.problems(right) == []
    only_last_sample = [[0, 0], [3, 4], [0, 0], [5, 6]]   # forgot to add repeated rows
    assert any("sum of the delta rows of samples [0, 2]" in p
               for p in ex.problems(only_last_sample))
    nonzero_absent_row = [[1, 1], [3, 4], [0, 0], [6, 8]]
    assert any("category 0 is not in the batch" in p for p in ex.problems(nonzero_absent_row))


def test_chapter_1_cost_exercise():
    ex = exercise("ch1-cost")
    assert ex.problems(32 * 50_000 * 16) == []
    assert "lookup copies" in ex.problems(32 * 16)[0]
    assert "entries of the one-hot matrix" in ex.problems(32 * 50_000)[0]
    assert "size of W0" in ex.problems(50_000 * 16)[0]
    assert "not the number of multiply-adds" in ex.problems(7)[0]
    assert "should be a number" in ex.problems("many")[0]
