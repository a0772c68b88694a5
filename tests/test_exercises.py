"""Every registered exercise check answers junk with a message and accepts its own solution.

The exercises are discovered from ``exercises.EXERCISES``, so an exercise added later is
probed too. A careless student types a string, a list, NaN, a dict...: the check must say
what is wrong, never raise and never warn.
"""

from __future__ import annotations

import numbers
import re
import warnings

import numpy as np
import pytest

from answers import NOT_SOLVED
from conftest import BOOK
from exercises import EXERCISES, Exercise, exercise


class SomethingElse:
    """An arbitrary object, as a student might pass by mistake (a model, a function...)."""


JUNK = {
    "a string": "0.5",
    "an empty string": "",
    "a list of strings": ["a", "b"],
    "an empty list": [],
    "an empty array": np.array([]),
    "NaN": float("nan"),
    "inf": float("inf"),
    "-inf": float("-inf"),
    "a dict": {"answer": 1},
    "a ragged list": [[1, 2], [3]],
    "None": None,
    "True": True,
    "False": False,
    "an arbitrary object": SomethingElse(),
    "a function": print,
    "a huge integer": 10 ** 400,
    "a huge float": 1e308,
    "a negative number": -7.25,
    "a complex number": 1 + 2j,
    "an array of the wrong shape": np.ones((7, 3, 2)),
    "a 0-d array": np.array(0.123),
    "a nested list with NaN": [[float("nan")] * 2] * 4,
    "a set of strings": {"a", "b"},
    "numbers written as strings": ["3", "5", "8"],
    "fractional numbers": [3.7, 5, 8],
}


def solution_shaped(solution, fill):
    """The solution's shape filled with ``fill`` (NaN, a string...), when it has a shape."""
    try:
        shape = np.shape(solution)
    except ValueError:
        return None
    if isinstance(solution, (set, frozenset, str)) or shape == ():
        return None
    return np.full(shape, fill, dtype=object).tolist()


def junk_for(label):
    """The junk above, plus the exercise's own solution shape filled with junk."""
    cases = dict(JUNK)
    solution = EXERCISES[label].solution
    for name, fill in [("NaN", float("nan")), ("inf", float("inf")), ("strings", "x"),
                       ("None", None)]:
        shaped = solution_shaped(solution, fill)
        if shaped is not None:
            cases[f"the solution's shape filled with {name}"] = shaped
    return cases


CASES = [(label, name) for label in sorted(EXERCISES) for name in junk_for(label)]


@pytest.mark.parametrize("label, junk_name", CASES, ids=[f"{l}-{n}" for l, n in CASES])
def test_junk_gets_a_message_not_an_exception(label, junk_name, capsys):
    ex = EXERCISES[label]
    junk = junk_for(label)[junk_name]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a warning would reach a student as noise on stderr
        problems = ex._checker(junk)   # the checker itself, without Exercise's guard
        problems = list(problems)
        assert problems, f"{label} accepted {junk_name} ({junk!r:.60})"
        assert all(isinstance(p, str) and p.strip() for p in problems), problems
        assert ex.check(junk) is False
    out = capsys.readouterr().out
    assert "Not yet right" in out and problems[0] in out


@pytest.mark.parametrize("label", sorted(EXERCISES))
def test_solution_is_given_and_accepted(label, capsys):
    ex = EXERCISES[label]
    assert ex.solution is not None, f"{label} has no solution= (the answer its dropdown prints)"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert ex.problems(ex.solution) == [], (label, ex.solution)
        assert ex.check(ex.solution) is True
    assert "Correct!" in capsys.readouterr().out


@pytest.mark.parametrize("label", sorted(EXERCISES))
def test_placeholder_says_not_solved_yet(label, capsys):
    ex = EXERCISES[label]
    assert ex.problems(NOT_SOLVED)[0].startswith("not solved yet")
    assert ex.check(NOT_SOLVED) is False
    assert "not solved yet" in capsys.readouterr().out


def test_a_checker_that_raises_still_gives_a_message(capsys):
    def broken(answer):
        raise ZeroDivisionError("division by zero")

    ex = Exercise("broken", broken, "no hint")
    problems = ex.problems(3)
    assert len(problems) == 1 and "could not check" in problems[0], problems
    assert ex.check(3) is False
    assert "could not check" in capsys.readouterr().out


def test_every_exercise_in_a_chapter_is_registered_and_every_registered_one_is_used():
    used = {}
    for page in sorted(BOOK.glob("*.md")):
        for label in re.findall(r"""\bexercise\(\s*["']([^"']+)["']\s*\)""", page.read_text()):
            used.setdefault(label, page.name)
    assert used, "no chapter calls exercise(...)"
    unknown = {label: page for label, page in used.items() if label not in EXERCISES}
    assert not unknown, f"chapters use exercises that exercises.EXERCISES lacks: {unknown}"
    unused = sorted(set(EXERCISES) - set(used))
    assert not unused, f"registered exercises no chapter uses: {unused}"
    for label, page in used.items():
        if page[:2].isdigit():
            assert label.startswith(f"ch{int(page[:2])}-"), f"{label} is used in {page}"


def wrong_but_well_formed(solution):
    """The solution with one value changed, keeping its form (a number, a list, a pair...)."""
    if isinstance(solution, (set, frozenset)):
        return set(solution) ^ {0}
    if isinstance(solution, str):
        return solution + "x"
    if isinstance(solution, (list, tuple, np.ndarray)):
        first, rest = solution[0], list(solution[1:])
        changed = wrong_but_well_formed(first)
        return type(solution)([changed] + rest) if not isinstance(solution, np.ndarray) \
            else np.array([changed] + rest)
    return solution + 1


@pytest.mark.parametrize("label", sorted(EXERCISES))
def test_a_wrong_answer_of_the_right_form_is_rejected(label):
    ex = EXERCISES[label]
    wrong = wrong_but_well_formed(ex.solution)
    problems = ex.problems(wrong)
    assert problems and all(isinstance(p, str) and p.strip() for p in problems), (label, wrong)


@pytest.mark.parametrize("label", sorted(EXERCISES))
def test_the_solution_as_a_numpy_array_is_accepted_too(label):
    solution = EXERCISES[label].solution
    if isinstance(solution, (list, tuple)) and all(isinstance(v, numbers.Real) for v in
                                                   np.ravel(np.array(solution, dtype=object))):
        assert EXERCISES[label].problems(np.array(solution)) == [], label
    elif isinstance(solution, numbers.Real):
        assert EXERCISES[label].problems(np.float64(solution)) == [], label
        assert EXERCISES[label].problems(np.array(solution)) == [], label


# ---------------------------------------------------------------- the Exercise class

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
