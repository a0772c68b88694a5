"""Unit tests of book/answers.py: each reader of a student's answer returns it in a checked
form, or sentences that say what is wrong, never an exception."""

from __future__ import annotations

import numpy as np

from answers import (answer_array, answer_number, compare_arrays, kind_of, letter_choice,
                     letter_set, two_letters, two_numbers)


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


def test_answer_number_keeps_counts_exact_and_explains_junk():
    assert answer_number(146_234) == (146_234, []) and isinstance(answer_number(7)[0], int)
    assert answer_number(np.int64(3)) == (3, [])
    assert answer_number(np.float32(0.5)) == (0.5, [])
    assert answer_number(np.array(0.25)) == (0.25, [])            # a 0-d array is its number
    for junk, words in [([1.0], "list of 1 values"), ("1", "the string '1'"), (True, "boolean"),
                        (float("nan"), "not a finite number"), (10 ** 400, "401 digits"),
                        (None, "returns None"), (1j, "complex")]:
        value, problems = answer_number(junk, "x")
        assert value is None and len(problems) == 1 and words in problems[0], (junk, problems)


def test_answer_array_returns_floats_or_says_which_entry_is_wrong():
    values, problems = answer_array([[1, 0], [True, False]])
    assert problems == [] and values.dtype == float and values.tolist() == [[1, 0], [1, 0]]
    assert "entry [1, 0]" in answer_array([[1, 2], [None, 4]])[1][0]
    assert "entry [1]" in answer_array([1.0, float("inf")])[1][0]
    assert "different lengths" in answer_array([[1, 2], [3]])[1][0]
    assert "strings such as '1'" in answer_array(np.array(["1", "2"]))[1][0]
    assert "values of type datetime64" in answer_array(np.array(["2024-01-01"], dtype="M8[D]"))[1][0]


def test_two_numbers_reads_a_pair_or_says_which_number_is_wrong():
    assert two_numbers((16, 0.9102), ("width", "RMSE")) == ((16, 0.9102), [])
    assert two_numbers(np.array([2.56, 7.68]), ("a", "b")) == ((2.56, 7.68), [])
    pair, problems = two_numbers((1, "2"), ("width", "RMSE"))
    assert pair is None and problems == [
        "RMSE (the second of your two numbers) should be one number, got the string '2' "
        "(remove the quotes)"]
    for not_a_pair in (3, (1, 2, 3), "12", None):
        pair, problems = two_numbers(not_a_pair, ("width", "RMSE"))
        assert pair is None and problems[0].startswith("the answer should be two numbers: "
                                                       "(width, RMSE)")


def test_letter_choice_and_letter_set_read_letters_as_students_write_them():
    assert letter_choice(" (B) ", "the answer", "abc") == ("b", [])
    assert letter_choice("d", "the answer", "abc")[1] == [
        "the answer should be one of the letters a, b, c; got 'd'"]
    assert "should be one letter, got the single number 1" in letter_choice(1, "x", "abc")[1][0]
    for written in ("a, c", "ac", ["A", "c"], {"a", "c"}, ("c", "a", "c")):
        assert letter_set(written, "x") == ({"a", "c"}, []), written
    assert letter_set(3, "the set")[1][0].startswith("the set should be a set of letters")
    assert "one of the letters a, b, c" in letter_set(["a", "z"], "x")[1][0]


def test_kind_of_names_what_a_student_gave_instead():
    assert kind_of(None).startswith("None (a function that only prints returns None")
    assert kind_of("0.5") == "the string '0.5' (remove the quotes)"
    assert kind_of([1, 2]) == "a list of 2 values"
    assert kind_of(np.ones((2, 3))) == "an array of shape (2, 3)"
    assert kind_of(print) == "the function print (call it and give what it returns)"


def test_two_letters_reads_a_pair_or_says_which_letter_is_wrong():
    assert two_letters(("B", "(d)"), ("team 1", "team 2"), "abcd") == (("b", "d"), [])
    assert two_letters("bd", ("team 1", "team 2"), "abcd")[1][0].startswith(
        "the answer should be two letters in order, (team 1, team 2)")
    letters, problems = two_letters(("b", "e"), ("team 1", "team 2"), "abcd")
    assert letters is None and "the team 2 answer" in problems[0] and "'e'" in problems[0]
    letters, problems = two_letters((1, "a"), ("shared", "disjoint"), "ab")
    assert letters is None and "the shared answer should be one letter" in problems[0]
