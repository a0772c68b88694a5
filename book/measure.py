"""Putting measured numbers on the page: ``glue_value`` glues one checked number into the prose,
``best_seconds`` times a call, ``chapter_timer`` times the chapter. It imports NumPy only (and,
to glue, IPython, when MyST-NB is installed).
"""

from __future__ import annotations

import numbers
from typing import Any, Callable

import numpy as np

__all__ = ["plain_number", "glue_value", "best_seconds", "ChapterTimer", "chapter_timer"]


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
        import myst_nb  # noqa: F401  (the package alone, which imports nothing else)
    except ImportError:
        # Outside the book's environment (on Colab, say) there is no page to glue into,
        # and the glue shows nothing in a notebook anyway: the number was checked above.
        return
    _glue(name, number)


# MyST-NB reads a glued value from a display output whose MIME types carry this prefix.
GLUE_PREFIX = "application/papermill.record/"


def _glue(name: str, number: float | int) -> None:
    """What ``myst_nb.glue(name, number, display=False)`` does (myst_nb/ext/glue, MyST-NB
    1.4.0), without importing ``myst_nb.ext.glue``: that imports nbformat, whose JSON-schema
    validator builds its URI grammar on import, 2-3 s of CPU in every chapter's kernel.
    tests/test_measure.py checks that both write the same output."""
    from IPython.core.formatters import format_display_data
    from IPython.display import display

    bundle, metadata = format_display_data(number)
    metadata["scrapbook"] = {"name": name, "mime_prefix": GLUE_PREFIX}
    display({GLUE_PREFIX + kind: value for kind, value in bundle.items()}, raw=True,
            metadata=metadata)


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
