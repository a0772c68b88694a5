"""The checks of the exercises of chapters 1 to 4, on the toy network: each takes a student's
answer and returns what is wrong with it, an empty list when it is right. It imports NumPy and
the book's answers.py, categories.py and network.py.
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np

from answers import answer_array, answer_number, compare_arrays
from categories import one_hot
from network import init_weights, loss_and_gradients, sigmoid


# --------------------------------------------------------------------------
# Chapter 1: categories to embeddings
# --------------------------------------------------------------------------

def check_one_hot_exercise(answer: Any) -> list[str]:
    codes = (2, 0, 1, 2)

    def explain(index: tuple) -> str:
        row = index[0]
        return f"sample {row} is category {codes[row]}, so row {row} has its 1 in column {codes[row]}"

    given, problems = answer_array(answer, "the one-hot matrix")
    if problems:
        return problems
    if given.shape == (4, 3):
        return ["the matrix has shape (4, 3), expected (4, 4): n = 4, so category 3 has a "
                "column even though no sample uses it"]
    return compare_arrays(given, one_hot(codes, 4), "the one-hot matrix", explain=explain)


def check_gradient_exercise(answer: Any) -> list[str]:
    codes = (3, 1, 3)
    delta = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    expected = one_hot(codes, 4).T @ delta

    def explain(index: tuple) -> str:
        row = index[0]
        samples = [r for r, c in enumerate(codes) if c == row]
        if not samples:
            return f"category {row} is not in the batch, so its row gets exactly zero"
        return f"row {row} is the sum of the delta rows of samples {samples}, which are category {row}"

    given, problems = answer_array(answer, "the gradient")
    if problems:
        return problems
    if given.shape == expected.shape and np.allclose(given[:3], expected[:3]) and any(
            np.allclose(given[3], delta[r]) for r in (0, 2)):
        return ["row 3 holds the delta of only one of samples 0 and 2, both category 3: with a "
                "repeated index, G[x] += delta keeps only one of the additions; add them all, "
                "e.g. with np.add.at(G, x, delta)"]
    return compare_arrays(given, expected, "the gradient", explain=explain)


def check_cost_exercise(answer: Any) -> list[str]:
    m, n, d = 32, 50_000, 16
    answer, problems = answer_number(answer, "the answer")
    if problems:
        return problems
    if answer < 0:
        return [f"{answer:g} is negative; a number of operations cannot be"]
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
    if answer == 2 * m * n * d:
        return ["that is 2*m*n*d: you counted multiplies and adds separately; count one "
                "multiply-add per product term"]
    return [f"{answer} is not the number of multiply-adds of a ({m} x {n}) times "
            f"({n} x {d}) matrix product"]


# --------------------------------------------------------------------------
# Chapter 2: the NumPy network
# --------------------------------------------------------------------------

def check_output_delta_exercise(answer: Any) -> list[str]:
    p, y = np.array([0.9, 0.2]), np.array([1.0, 1.0])
    expected = (y - p) * p * (1 - p)
    given, problems = answer_array(answer, "the output delta")
    if problems:
        return problems
    if given.shape == expected.shape:
        if np.allclose(given, y - p):
            return ["that is y - p, the cross-entropy delta; half the squared error also "
                    "multiplies by the sigmoid's derivative p (1 - p)"]
        if np.allclose(given, -expected):
            return ["the sign is flipped: the delta is y - p times p (1 - p), "
                    "which is minus dL/dz"]
    return compare_arrays(given, expected, "the output delta", atol=1e-6)


def _chapter_2_initial_weights(embedding_dim: int = 5):
    return init_weights(3, embedding_dim, np.random.default_rng(0))


def check_bias_gradient_exercise(answer: Any) -> list[str]:
    W0, W1 = _chapter_2_initial_weights()
    _, _, _, p = loss_and_gradients([0, 1, 2, 2], [1, 1, 0, 0], W0, W1)
    delta_out = (np.array([[1], [1], [0], [0]]) - p) * p * (1 - p)
    expected = float(-delta_out.sum())
    if len(answer if isinstance(answer, (list, tuple)) else
           np.ravel(answer) if isinstance(answer, np.ndarray) else [answer]) > 1:
        return ["dL/db is a single number: the bias is shared by all samples, so "
                "their contributions add up"]
    given, problems = answer_number(answer, "dL/db")
    if problems:
        return problems
    # The solution prints 5 decimals: accept the answer to that precision.
    if abs(given + expected) <= 1e-5:
        return ["the sign is flipped: dL/dz = -delta, so dL/db = -(sum of the deltas)"]
    if abs(given - expected) > 1e-5:
        return [f"{given:.6g} is not dL/db at the chapter's initial weights"]
    return []


@functools.lru_cache(maxsize=2)
def _outputs_after_training(embedding_dim: int) -> np.ndarray:
    """The four outputs of chapter 2's network of this width after the source's training,
    60,000 steps at rate 0.1. The samples of a category share its output and, in the toy
    batch, its target, so one delta per category, counted as often as the category appears,
    takes train_network's steps (to rounding; tests/test_checks_toy_network.py compares) with
    fewer operations: the chapter's solution trains with train_network, and the check costs
    less than a second training."""
    W0, W1 = _chapter_2_initial_weights(embedding_dim)
    rows, w1 = W0.copy(), W1[:, 0].copy()
    rate_times_count, targets = 0.1 * np.array([1.0, 1.0, 2.0]), np.array([1.0, 1.0, 0.0])
    for _ in range(60_000):
        p = sigmoid(rows @ w1)                                     # one output per category
        c = rate_times_count * (targets - p) * p * (1 - p)
        w1_step = c @ rows                                         # uses the rows before their step
        rows += c[:, None] * w1
        w1 += w1_step
    return sigmoid(rows @ w1)[[0, 1, 2, 2]]


def check_embedding_size_exercise(answer: Any) -> list[str]:
    given, problems = answer_array(answer, "the final outputs")
    if problems:
        return problems
    # The solution prints the outputs rounded to 5 decimals: accept that precision.
    problems = compare_arrays(given, _outputs_after_training(2), "the final outputs", atol=1e-5)
    # Trained only for a wrong answer, so that a right one costs one training, not two.
    if problems and given.shape == (4,) and np.allclose(given, _outputs_after_training(5),
                                                        rtol=0, atol=1e-5):
        return ["these are the outputs of the 5-dimensional network; "
                "start again from init_weights(3, 2, np.random.default_rng(0))"]
    return problems


# --------------------------------------------------------------------------
# Chapter 3: the geometry of the embeddings
# --------------------------------------------------------------------------

def check_cosine_exercise(answer: Any) -> list[str]:
    similarity = -1 / np.sqrt(2)
    answer, problems = answer_number(answer, "the answer")
    if problems:
        return problems

    def near(value):  # the solution prints 3 decimals (1.707): accept that precision
        return abs(answer - value) <= 5e-4

    if near(similarity):
        return ["that is the cosine similarity; the distance is 1 minus it"]
    if near(1 + similarity):
        return ["check the sign of u . v: u = (1, 0) and v = (-1, 1) give u . v = -1"]
    if near(135) or near(3 * np.pi / 4):
        return ["that is the angle; the cosine distance is 1 - cos(angle)"]
    if not near(1 - similarity):
        return [f"{answer:g} is not 1 - cos(u, v)"
                + (": a cosine distance lies between 0 and 2" if not 0 <= answer <= 2 else "")]
    return []


def check_orthogonal_exercise(answer: Any) -> list[str]:
    h, w1 = np.array([1.0, 2.0, 3.0]), np.array([0.0, 3.0, 4.0])
    along = (h @ w1) / (w1 @ w1) * w1
    given, problems = answer_array(answer, "the orthogonal part")
    if problems:
        return problems
    # The solution prints (1, -0.16, 0.12), exact decimals; 1e-6 leaves room for rounding.
    if given.shape == (3,):
        if np.allclose(given, along, rtol=0, atol=1e-6):
            return ["that is the part along W1; the orthogonal part is h minus it"]
        if abs(given @ w1) > 1e-5:
            return [f"your vector is not orthogonal to W1: its dot product with W1 is "
                    f"{given @ w1:g}, not 0"]
    return compare_arrays(given, h - along, "the orthogonal part", atol=1e-6)


@functools.lru_cache(maxsize=1)
def _robustness_fractions() -> dict[str, float]:
    """Chapter 3's robustness study at width 30: 100 starts from default_rng(7), 10,000
    iterations at rate 0.1. Trained in the coordinates of the span of W1 and the initial
    rows (a width-4 network with the same dot products), so it takes well under a second.
    Returns the fraction of runs where d(0,1) < d(0,2) and d(0,1) < d(1,2) ("right"), and
    what typical mistakes give."""
    codes, targets = np.array([0, 1, 2, 2]), np.array([1.0, 1.0, 0.0, 0.0])
    W0, W1 = init_weights(3, 30, np.random.default_rng(7), runs=100)
    basis = np.linalg.qr(np.concatenate([np.swapaxes(W0, 1, 2), W1], axis=2))[0]
    start, w1 = W0 @ basis, (np.swapaxes(basis, 1, 2) @ W1)[..., 0]
    rows, per_category = start.copy(), one_hot(codes, 3)
    for _ in range(10_000):
        z = np.einsum("snd,sd->sn", rows, w1)[:, codes]
        p = 0.5 + 0.5 * np.tanh(0.5 * z)                      # the sigmoid, in fewer steps
        c = ((targets - p) * p * (1 - p)) @ per_category     # deltas added up per category
        w1_step = np.einsum("sn,snd->sd", c, rows)
        rows += 0.1 * c[:, :, None] * w1[:, None, :]
        w1 += 0.1 * w1_step

    def distances(stack):   # cosine distances d(0,1), d(0,2), d(1,2) of each run
        unit = stack / np.linalg.norm(stack, axis=2, keepdims=True)
        return 1 - (unit @ np.swapaxes(unit, 1, 2))[:, [0, 0, 1], [1, 2, 2]]

    def holds(d):
        return float(np.mean((d[:, 0] < d[:, 1]) & (d[:, 0] < d[:, 2])))

    after = distances(rows)
    return {"right": holds(after), "before": holds(distances(start)),
            "only_02": float(np.mean(after[:, 0] < after[:, 1]))}


def check_robustness_exercise(answer: Any) -> list[str]:
    fraction, problems = answer_number(answer, "the fraction")
    if problems:
        return problems
    expected = _robustness_fractions()
    right = expected["right"]

    def near(value):   # within half a run of 100: the solution prints two decimals
        return abs(fraction - value) <= 0.005

    if near(right):
        return []
    if 1 < fraction <= 100 and abs(fraction / 100 - right) <= 0.005:
        return ["that looks like a percentage, or a count of the 100 runs; give the "
                "fraction, a number between 0 and 1"]
    if not 0 <= fraction <= 1:
        return [f"{fraction:g} is not a fraction of the runs: that lies between 0 and 1"]
    if near(1 - right):
        return ["that is the fraction of runs in which the ordering fails; give the fraction "
                "in which it holds"]
    if near(expected["only_02"]):
        return ["that compares d(0,1) with d(0,2) only; the ordering also needs "
                "d(0,1) < d(1,2)"]
    if near(expected["before"]):
        return ["that is the fraction before training; train the 100 runs for 10,000 "
                "iterations first"]
    if near(1.0):
        return ["at width 30 not every run keeps the ordering (at width 5 all of them did); "
                "check that you trained the width-30 starts"]
    return [f"{fraction:g} is not the fraction of the 100 runs in which d(0,1) ends smaller "
            "than both d(0,2) and d(1,2) after 10,000 iterations"]


# --------------------------------------------------------------------------
# Chapter 4: Keras
# --------------------------------------------------------------------------

def check_sum_reduction_exercise(answer: Any) -> list[str]:
    answer, problems = answer_number(answer, "the learning rate")
    if problems:
        return problems
    if answer <= 0:
        return [f"a learning rate of {answer:g} would not descend: it must be positive"]
    if np.isclose(answer, 0.2):
        return ["0.2 matches the default reduction, the mean over the batch; with "
                "reduction='sum' the loss is no longer divided by m"]
    if np.isclose(answer, 0.1):
        return ["the summed squared error is twice the NumPy loss (which has a factor 1/2), "
                "so its gradient is twice as large"]
    if not np.isclose(answer, 0.05):
        return [f"with learning rate {answer:g}, one Keras step is {answer / 0.05:g} times "
                "the NumPy step"]
    return []


def check_integer_lookup_exercise(answer: Any) -> list[str]:
    given, problems = answer_array(answer, "the looked-up indices")
    if problems:
        return problems
    if given.shape == (3,):
        if np.array_equal(given, [1, -1, 0]) or np.array_equal(given, [1, 0, 0]):
            return ["IntegerLookup reserves index 0 for out-of-vocabulary values, so the "
                    "vocabulary starts at index 1"]
    return compare_arrays(given, [2, 0, 1], "the looked-up indices")


def check_adam_repeat_exercise(answer: Any) -> list[str]:
    ratio, problems = answer_number(answer, "the ratio of the two steps")
    if problems:
        return problems
    # The solution prints 3 decimals (1.414); sqrt(2) to two decimals (1.41) is right too.
    if abs(ratio - np.sqrt(2)) <= 5e-3:
        return []
    if np.isclose(ratio, 1, atol=1e-3):
        return ["with a repeated category the two forms square different things: the Dense "
                "layer squares the summed gradient (2g)^2, the Embedding each copy, g^2 + g^2"]
    if np.isclose(ratio, 2, atol=1e-3) or np.isclose(ratio, 4, atol=1e-3):
        return ["that compares the second moments or their squares (4g^2 against 2g^2); "
                "the step divides the first moment by the square root of the second"]
    if np.isclose(ratio, 1 / np.sqrt(2), atol=1e-3) or np.isclose(ratio, 0.5, atol=1e-3):
        return ["upside down: the Embedding's second moment is the smaller one, so its "
                "step is the longer one"]
    return [f"{ratio:g} is not the ratio; write Adam's first and second moments of row 2 "
            "after one step, for each form"]
