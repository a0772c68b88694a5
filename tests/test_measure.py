"""Unit tests of book/measure.py: glued numbers are plain finite numbers, timings measure
one call, and the chapter timer glues under a timing_ key."""

from __future__ import annotations

import numpy as np
import pytest

from measure import best_seconds, glue_value, plain_number


def test_plain_number_turns_numpy_scalars_into_python_numbers():
    assert type(plain_number(np.float64(0.5))) is float
    assert type(plain_number(np.int64(3))) is int
    assert glue_value("a", np.float64(0.5)) is None   # so a cell ending with it prints nothing


@pytest.mark.parametrize("value, message", [
    (np.array([1.0, 2.0]), "a single number"), (float("nan"), "a finite real number"),
    (1j, "a finite real number"),
    ("12", "a single number"), (np.True_, "boolean")])
def test_glue_value_rejects_what_should_not_be_in_prose(value, message):
    with pytest.raises(ValueError, match=message):
        glue_value("x", value)


def test_glue_value_checks_the_number_even_without_myst_nb(monkeypatch):
    import sys
    monkeypatch.setitem(sys.modules, "myst_nb", None)   # "import myst_nb" now fails, as on Colab
    assert glue_value("fine", 1.5) is None
    with pytest.raises(ValueError, match="glue 'bad'"):
        glue_value("bad", float("nan"))


def test_glue_value_writes_what_myst_nb_glue_writes():
    # glue_value does not import myst_nb.ext.glue (slow to import); the output it writes must
    # still be the one MyST-NB's own glue writes, which the build reads the numbers from.
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.utils.capture import capture_output
    from myst_nb import glue

    InteractiveShell.instance()
    for value in (0.1234567890123, 7, -2.5e-12):
        with capture_output() as ours:
            glue_value("key", value)
        with capture_output() as theirs:
            glue("key", value, display=False)
        written = [[(output.data, output.metadata) for output in captured.outputs]
                   for captured in (ours, theirs)]
        assert written[0] == written[1] and len(written[0]) == 1
        assert written[0][0][1]["scrapbook"]["name"] == "key"


def test_best_seconds_measures_one_call():
    import time
    # A call that sleeps 5 ms takes at least that long, and the best of the repeats is not
    # the sum of the calls needed to fill min_total.
    seconds = best_seconds(lambda: time.sleep(0.005), min_total=0.02, repeats=2)
    assert 0.005 <= seconds < 0.05


def test_best_seconds_repeats_until_the_budget_is_spent():
    import time
    calls = []

    def one_millisecond():
        calls.append(None)
        time.sleep(0.001)

    best_seconds(one_millisecond, min_total=0.001, repeats=1)
    assert len(calls) == 2                       # no budget: one calibration call, one repeat
    calls.clear()
    started = time.perf_counter()
    seconds = best_seconds(one_millisecond, min_total=0.001, repeats=1, budget=0.1)
    assert time.perf_counter() - started >= 0.1
    assert len(calls) > 5                        # the budget was spent on more repeats
    assert 0.001 <= seconds < 0.05               # and the best is still one call's time


@pytest.mark.parametrize("kwargs, message", [
    ({"function": 3}, "needs a function"),
    ({"function": print, "min_total": 0}, "min_total must be a positive number"),
    ({"function": print, "repeats": 0}, "repeats must be a positive integer"),
    ({"function": print, "repeats": True}, "repeats must be a positive integer"),
    ({"function": print, "budget": -1}, "budget must be a number of seconds"),
    ({"function": print, "budget": float("inf")}, "budget must be a number of seconds"),
    ({"function": print, "budget": "1"}, "budget must be a number of seconds"),
])
def test_best_seconds_rejects_bad_input(kwargs, message):
    with pytest.raises(ValueError, match=message):
        best_seconds(**kwargs)


def test_chapter_timer_glues_the_seconds_since_it_was_made(monkeypatch):
    import time

    import measure
    glued = []
    monkeypatch.setattr(measure, "glue_value", lambda name, value: glued.append((name, value)))
    timer = measure.chapter_timer()
    time.sleep(0.05)
    assert timer.glue() is None                      # a last cell shows no number of its own
    [(name, seconds)] = glued
    assert name == "timing_run_seconds" and 0.05 <= seconds < 5
    timer.glue("timing_other")
    assert glued[1][0] == "timing_other" and glued[1][1] >= seconds   # the clock keeps running
    assert timer.seconds() >= glued[1][1]
    for bad in ("run_seconds", "", None):            # a key the reproducibility test would compare
        with pytest.raises(ValueError, match="must start with 'timing_'"):
            timer.glue(bad)
