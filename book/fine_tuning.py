"""Many small genre models trained at once: the stacked runs of the fine-tuning chapter.

A *run* is one small model: a table of film vectors, (films, width), and a head,
(width + 1, outputs), whose last row holds the biases, so that the logits are
``table @ head[:-1] + head[-1]``.  A run's loss adds, over the outputs, the mean
binary cross-entropy over the films whose label for that output the run knows.

``train_stack`` trains a stack of such runs side by side, with full-batch steps of
Adam or plain SGD computed as Keras's optimisers compute them (the chapter checks
it against Keras step for step), and records at every step what the chapter
measures: one output's logit for every film, how far every row has moved, and the
head.  Each run has its own learning rates, one for the head and one for the table.
``logistic_regression`` fits the frozen table's baseline to convergence.

NumPy only: this module imports nothing else from the book.  Bad input raises a
``ValueError`` or ``TypeError`` that says what is wrong.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass

import numpy as np

__all__ = ["BETA_1", "BETA_2", "EPSILON", "StackLog", "adam_update", "train_stack",
           "logistic_regression"]

# Keras 3's defaults for keras.optimizers.Adam (the chapter asserts that they are).
BETA_1, BETA_2, EPSILON = 0.9, 0.999, 1e-7


@dataclass
class StackLog:
    """What ``train_stack`` records.  ``steps`` below is the number of steps taken.

    - ``logits``: (steps, runs, films), the watched output's logit after each step;
    - ``moves``: (steps, runs, films), each row's distance from where it started;
    - ``heads``: (steps, runs, width + 1, outputs), the head after each step;
    - ``table``: (runs, films, width), the tables after the last step.
    """

    logits: np.ndarray
    moves: np.ndarray
    heads: np.ndarray
    table: np.ndarray


def adam_update(weights, gradient, m, v, learning_rate, step):
    """One Adam step, as Keras computes it: returns the new (weights, m, v).

    Running means of the gradient (``m``) and of its square (``v``), then a step of
    ``learning_rate * sqrt(1 - BETA_2**step) / (1 - BETA_1**step) * m / (sqrt(v) + EPSILON)``.
    ``step`` counts from 1.
    """
    m = m + (gradient - m) * (1 - BETA_1)
    v = v + (gradient ** 2 - v) * (1 - BETA_2)
    alpha = learning_rate * np.sqrt(1 - BETA_2 ** step) / (1 - BETA_1 ** step)
    return weights - m * alpha / (np.sqrt(v) + EPSILON), m, v


class _Adam:
    """Adam's state for one stacked tensor, updated in place (float32, as in Keras)."""

    def __init__(self, weights):
        self.m, self.v = np.zeros_like(weights), np.zeros_like(weights)
        self.scratch = np.empty_like(weights)

    def step(self, weights, gradient, rates, step):
        beta_1, beta_2 = np.float32(BETA_1), np.float32(BETA_2)
        alpha = rates * (np.sqrt(np.float32(1) - beta_2 ** np.float32(step))
                         / (np.float32(1) - beta_1 ** np.float32(step)))
        m, v, scratch = self.m, self.v, self.scratch
        np.subtract(gradient, m, out=scratch)
        scratch *= np.float32(1 - BETA_1)
        m += scratch
        np.square(gradient, out=scratch)
        scratch -= v
        scratch *= np.float32(1 - BETA_2)
        v += scratch
        np.sqrt(v, out=scratch)
        scratch += np.float32(EPSILON)
        scratch /= alpha                          # (sqrt(v) + eps) / alpha, then m over it
        np.divide(m, scratch, out=scratch)
        weights -= scratch


def _rates(value, n_runs: int, name: str) -> np.ndarray:
    """One learning rate per run: a positive finite number, or one per run."""
    if isinstance(value, (bool, np.bool_)) or isinstance(value, (str, bytes)):
        raise TypeError(f"{name} must be a number or an array of numbers, got {value!r}")
    try:
        rates = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a number or an array of numbers, got {value!r}") from None
    if rates.ndim == 0:
        rates = np.full(n_runs, float(rates))
    if rates.shape != (n_runs,):
        raise ValueError(f"{name} must be one number or one per run ({n_runs}), "
                         f"got shape {rates.shape}")
    if not (np.isfinite(rates).all() and (rates > 0).all()):
        raise ValueError(f"every {name} must be positive and finite, got {rates}")
    return rates.astype(np.float32).reshape(-1, 1, 1)


def _float_array(value, name: str, ndims: tuple[int, ...]) -> np.ndarray:
    try:
        array = np.asarray(value, dtype=np.float32)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be an array of numbers") from None
    if array.ndim not in ndims:
        raise ValueError(f"{name} must have {' or '.join(map(str, ndims))} dimensions, "
                         f"got shape {array.shape}")
    if not np.isfinite(array).all():
        raise ValueError(f"{name} contains NaN or infinity")
    return array


def train_stack(table, head, labels, known, head_rate, table_rate=None, steps: int = 100,
                optimizer: str = "adam", watch: int = 0) -> StackLog:
    """Train a stack of runs side by side, full batch, and log every step.

    table: (films, width), one start for every run, or (runs, films, width).
    head: (runs, width + 1, outputs), the weights then a row of biases.
    labels: (films, outputs), 0 or 1.
    known: (runs, films, outputs), 1 where the run's loss uses the label, else 0; every
        output of every run needs at least one known label.
    head_rate, table_rate: one learning rate for every run, or one per run;
        ``table_rate=None`` freezes the table (only the head learns).
    optimizer: "adam" (Keras's defaults) or "sgd" (plain, no momentum).
    watch: which output's logits to record.

    The runs' losses are independent and both optimisers update every number on its
    own, so a step of the stack is a step of each run: each run trains as it would
    alone.  A run whose learning rate is too large can diverge: its numbers then
    become infinite or NaN, silently (NumPy's overflow warnings are switched off here),
    and only that run's; check ``np.isfinite`` on what it logged before using it.
    """
    if optimizer not in ("adam", "sgd"):
        raise ValueError(f"optimizer must be 'adam' or 'sgd', got {optimizer!r}")
    if isinstance(steps, (bool, np.bool_)) or not isinstance(steps, numbers.Integral) or steps < 1:
        raise ValueError(f"steps must be a positive whole number, got {steps!r}")
    head = _float_array(head, "head", (3,)).copy()
    table = _float_array(table, "table", (2, 3))
    labels = _float_array(labels, "labels", (2,))
    known = _float_array(known, "known", (3,))
    n_runs, width_plus_one, n_outputs = head.shape
    n_films, width = table.shape[-2:]
    if width_plus_one != width + 1:
        raise ValueError(f"the head needs width + 1 = {width + 1} rows (weights, then "
                         f"biases), got {width_plus_one}")
    if table.ndim == 3 and table.shape[0] != n_runs:
        raise ValueError(f"table has {table.shape[0]} runs and head {n_runs}")
    if labels.shape != (n_films, n_outputs):
        raise ValueError(f"labels must be (films, outputs) = {(n_films, n_outputs)}, "
                         f"got {labels.shape}")
    if not np.isin(labels, (0, 1)).all():
        raise ValueError("labels must be 0 or 1")
    if known.shape != (n_runs, n_films, n_outputs):
        raise ValueError(f"known must be (runs, films, outputs) = "
                         f"{(n_runs, n_films, n_outputs)}, got {known.shape}")
    if not np.isin(known, (0, 1)).all():
        raise ValueError("known must be 0 or 1")
    n_known = known.sum(axis=1, keepdims=True)
    if (n_known == 0).any():
        raise ValueError("every output of every run needs at least one known label")
    if not isinstance(watch, numbers.Integral) or not 0 <= watch < n_outputs:
        raise ValueError(f"watch must be an output index from 0 to {n_outputs - 1}, "
                         f"got {watch!r}")
    head_rates = _rates(head_rate, n_runs, "head_rate")
    tune_table = table_rate is not None
    table_rates = _rates(table_rate, n_runs, "table_rate") if tune_table else None

    weight = known / n_known                       # 1/|K_g| for a known label, else 0
    if not tune_table:
        return _train(table, head, labels, weight, head_rates, None, steps, optimizer, watch)
    # Only the rows of films with a known label get a gradient; every other row stays
    # exactly where it started.  So each run trains its active rows alone, and runs with
    # as many active rows are trained together.
    active = known.any(axis=2)
    counts = active.sum(axis=1)
    full = np.broadcast_to(table, (n_runs, n_films, width))
    log = StackLog(np.empty((steps, n_runs, n_films), np.float32),
                   np.zeros((steps, n_runs, n_films), np.float32),
                   np.empty((steps,) + head.shape, np.float32), full.copy())
    for count in np.unique(counts):
        group = np.flatnonzero(counts == count)
        order = np.argsort(~active[group], axis=1, kind="stable")[:, :count]
        part = _train(full[group], head[group], labels, weight[group], head_rates[group],
                      table_rates[group], steps, optimizer, watch, order)
        log.logits[:, group], log.moves[:, group] = part.logits, part.moves
        log.heads[:, group], log.table[group] = part.heads, part.table
    return log


def _train(table, head, labels, weight, head_rates, table_rates, steps, optimizer, watch,
           order=None):
    """train_stack's loop, on valid input.  With a table to tune, ``order`` (runs, active)
    lists each run's rows that get a gradient: only those are trained."""
    n_runs, n_films = head.shape[0], table.shape[-2]
    tune_table = table_rates is not None
    full = np.broadcast_to(table, (n_runs,) + table.shape[-2:])
    every_row = tune_table and order.shape[1] == n_films     # then order is 0, 1, 2, ...
    if every_row:
        table, start = full.copy(), full
    elif tune_table:
        table = np.take_along_axis(full, order[..., None], axis=1)
        start = table.copy()
        labels = labels[order]
        weight = np.take_along_axis(weight, order[..., None], axis=1)
    if tune_table:
        table_adam = _Adam(table) if optimizer == "adam" else None
        difference = np.empty_like(table)
    head_adam = _Adam(head) if optimizer == "adam" else None
    half_minus_labels = np.float32(0.5) - labels
    ones = np.ones((1, table.shape[-2]), np.float32)
    logits_log = np.empty((steps, n_runs, n_films), np.float32)
    moves = np.zeros((steps, n_runs, n_films), np.float32)
    heads = np.empty((steps,) + head.shape, np.float32)
    head_gradient = np.empty_like(head)
    with np.errstate(over="ignore", invalid="ignore"):     # a diverging run: see above
        for step in range(1, steps + 1):
            weights = head[:, :-1]
            logits = table @ weights
            logits += head[:, -1:]
            # d loss / d logit: weight * (sigmoid(z) - y); tanh keeps exp from overflowing.
            error = np.tanh(logits * np.float32(0.5))
            error *= np.float32(0.5)
            error += half_minus_labels
            error *= weight
            np.matmul(np.swapaxes(table, -1, -2), error, out=head_gradient[:, :-1])
            np.matmul(ones, error, out=head_gradient[:, -1:])
            if tune_table:
                table_gradient = error @ np.swapaxes(weights, -1, -2)
            if optimizer == "adam":
                head_adam.step(head, head_gradient, head_rates, step)
                if tune_table:
                    table_adam.step(table, table_gradient, table_rates, step)
            else:
                head -= head_rates * head_gradient
                if tune_table:
                    table_gradient *= table_rates
                    table -= table_gradient
            watched = head[:, :-1, watch:watch + 1]
            if every_row:
                logits_log[step - 1] = (table @ watched)[..., 0]
            else:
                logits_log[step - 1] = (full @ watched)[..., 0]
            if tune_table:
                np.subtract(table, start, out=difference)
                distance = np.sqrt(np.einsum("rfk,rfk->rf", difference, difference))
                if every_row:
                    moves[step - 1] = distance
                else:
                    np.put_along_axis(logits_log[step - 1], order, (table @ watched)[..., 0],
                                      axis=1)
                    np.put_along_axis(moves[step - 1], order, distance, axis=1)
            logits_log[step - 1] += head[:, -1:, watch]
            heads[step - 1] = head
    if every_row:
        return StackLog(logits_log, moves, heads, table)
    final = full.copy()
    if tune_table:
        np.put_along_axis(final, order[..., None], table, axis=1)
    return StackLog(logits_log, moves, heads, final)



def logistic_regression(features, labels, penalty: float, tolerance: float = 1e-10,
                        max_iterations: int = 100) -> np.ndarray:
    """Fit a logistic regression with an L2 penalty on its weights, by Newton's method.

    Minimises mean cross-entropy + ``penalty`` * (sum of squared weights); the bias,
    the last of the returned (features + 1) numbers, is not penalised.  Newton's method
    converges in a few steps on a problem this small; it stops when no number moves by
    more than ``tolerance`` and raises a ``RuntimeError`` if that takes more than
    ``max_iterations`` steps.
    """
    x = _float_array(features, "features", (2,)).astype(np.float64)
    y = _float_array(labels, "labels", (1,)).astype(np.float64)
    if len(y) != len(x):
        raise ValueError(f"features has {len(x)} rows and labels {len(y)}")
    if not np.isin(y, (0, 1)).all() or y.min() == y.max():
        raise ValueError("labels must be 0 or 1, with at least one of each")
    if (isinstance(penalty, (bool, np.bool_)) or not isinstance(penalty, numbers.Real)
            or not np.isfinite(penalty) or penalty <= 0):
        raise ValueError(f"penalty must be a positive number, got {penalty!r}")
    x = np.c_[x, np.ones(len(x))]
    ridge = np.full(x.shape[1], 2.0 * penalty)
    ridge[-1] = 0.0
    w = np.zeros(x.shape[1])
    for _ in range(max_iterations):
        p = 0.5 + 0.5 * np.tanh(0.5 * (x @ w))
        gradient = x.T @ (p - y) / len(y) + ridge * w
        hessian = (x.T * (p * (1 - p))) @ x / len(y) + np.diag(ridge)
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < tolerance:
            return w
    raise RuntimeError(f"Newton's method did not converge in {max_iterations} steps")
