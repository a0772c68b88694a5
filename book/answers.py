"""Reading a student's answer to an exercise: each reader returns the answer in a checked form, or
sentences that say what is wrong with it, never an exception. It imports NumPy only.
"""

from __future__ import annotations

import numbers
from typing import Any, Callable

import numpy as np

__all__ = ["NOT_SOLVED", "kind_of", "answer_number", "answer_array", "compare_arrays",
           "two_numbers", "letter_choice", "letter_set"]


NOT_SOLVED = Ellipsis
"""The placeholder a reader replaces with an answer: ``answer = ...``."""


def kind_of(value: Any) -> str:
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
        return None, [f"{name} should be one number, got {kind_of(value)}"]
    if (isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Number)
            or (isinstance(value, numbers.Complex) and not isinstance(value, numbers.Real))):
        return None, [f"{name} should be one number, got {kind_of(value)}"]
    try:
        as_float = float(value)
    except OverflowError:
        return None, [f"{name} is far too large: it has {len(str(abs(int(value))))} digits"]
    except (TypeError, ValueError):
        return None, [f"{name} should be one number, got {kind_of(value)}"]
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
        return None, [f"{name} should be an array of numbers, got {kind_of(answer)}"]
    try:
        array = np.asarray(answer)
    except ValueError:
        return None, [f"{name} has rows of different lengths: it is not an array of numbers"]
    except Exception:  # an object that refuses to become an array
        return None, [f"{name} should be an array of numbers, got {kind_of(answer)}"]
    if array.dtype == object:
        if array.ndim == 0:
            return None, [f"{name} should be an array of numbers, got {kind_of(array.item())}"]
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


def two_numbers(answer: Any, names: tuple[str, str]) -> tuple[tuple | None, list[str]]:
    """``answer`` as a pair of finite numbers, or ``(None, [why not])``."""
    if isinstance(answer, np.ndarray) and answer.ndim == 1:
        answer = answer.tolist()
    if not isinstance(answer, (tuple, list)) or len(answer) != 2:
        return None, [f"the answer should be two numbers: ({names[0]}, {names[1]}); "
                      f"got {kind_of(answer)}"]
    pair = []
    for value, name, which in zip(answer, names, ("first", "second")):
        number, problems = answer_number(value, f"{name} (the {which} of your two numbers)")
        if problems:
            return None, problems
        pair.append(number)
    return tuple(pair), []


def letter_choice(value: Any, name: str, allowed: str) -> tuple[str | None, list[str]]:
    """``value`` as one lower-case letter among ``allowed`` ("(b)", " B " are fine)."""
    if not isinstance(value, str):
        return None, [f"{name} should be one letter, got {kind_of(value)}"]
    letter = value.strip().strip("()").strip().lower()
    if len(letter) != 1 or letter not in allowed:
        return None, [f"{name} should be one of the letters {', '.join(allowed)}; got {value!r}"]
    return letter, []


def two_letters(answer: Any, names: tuple[str, str],
                allowed: str) -> tuple[tuple | None, list[str]]:
    """``answer`` as a pair of letters among ``allowed``, one for each of ``names``, or
    ``(None, [why not])``."""
    if not isinstance(answer, (tuple, list)) or len(answer) != 2:
        return None, [f"the answer should be two letters in order, ({names[0]}, {names[1]}), "
                      f"for example (\"a\", \"b\"); got {kind_of(answer)}"]
    letters = []
    for value, name in zip(answer, names):
        letter, problems = letter_choice(value, f"the {name} answer", allowed)
        if problems:
            return None, problems
        letters.append(letter)
    return tuple(letters), []


def letter_set(value: Any, name: str) -> tuple[set | None, list[str]]:
    """A set of the letters a, b, c from a set, list or tuple of letters, or a string."""
    if isinstance(value, str):
        value = [part for part in value.replace(",", " ").split() if part]
        if len(value) == 1 and len(value[0]) > 1 and value[0].isalpha():
            value = list(value[0])                  # "abc" means a, b and c
    if not isinstance(value, (set, frozenset, list, tuple)):
        return None, [f"{name} should be a set of letters such as {{\"a\", \"c\"}}; got "
                      f"{kind_of(value)}"]
    letters = set()
    for item in value:
        letter, problems = letter_choice(item, f"each letter of {name}", "abc")
        if problems:
            return None, problems
        letters.add(letter)
    return letters, []
