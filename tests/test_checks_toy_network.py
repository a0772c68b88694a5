"""The checks of the exercises of chapters 1 to 4 (book/checks_toy_network.py): right answers
worked out from the definitions here, not copied from a run, and a message that names each
typical mistake."""

from __future__ import annotations

import numpy as np

from answers import NOT_SOLVED
from exercises import exercise
from network import init_weights, train_network

CODES, TARGETS = [0, 1, 2, 2], [1, 1, 0, 0]


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
    three_columns = np.eye(3)[[2, 0, 1, 2]]   # forgot category 3, which no sample uses
    assert ex.problems(three_columns) == [
        "the matrix has shape (4, 3), expected (4, 4): n = 4, so category 3 has a "
        "column even though no sample uses it"]
    assert "numbers" in ex.problems([["a"] * 3] * 4)[0]   # junk is still answered first


def test_chapter_1_gradient_exercise():
    ex = exercise("ch1-gradient")
    right = [[0, 0], [3, 4], [0, 0], [1 + 5, 2 + 6]]
    assert ex.problems(right) == []
    # G[x] += delta with the repeated code 3 keeps one of the two additions, and NumPy does
    # not promise which: both outcomes name the pitfall.
    for kept_sample in (0, 2):
        buffered = np.zeros((4, 2))
        buffered[[1, 3]] = [[3, 4], [[1, 2], [3, 4], [5, 6]][kept_sample]]
        [problem] = ex.problems(buffered)
        assert "repeated index" in problem and "np.add.at" in problem
    wrong_sum = [[0, 0], [3, 4], [0, 0], [6, 9]]   # not one sample's delta: entry-wise report
    assert any("sum of the delta rows of samples [0, 2]" in p for p in ex.problems(wrong_sum))
    assert "repeated index" not in " ".join(ex.problems([[0, 0], [0, 0], [0, 0], [5, 6]]))
    nonzero_absent_row = [[1, 1], [3, 4], [0, 0], [6, 8]]
    assert any("category 0 is not in the batch" in p for p in ex.problems(nonzero_absent_row))


def test_chapter_1_cost_exercise():
    ex = exercise("ch1-cost")
    assert ex.problems(32 * 50_000 * 16) == []
    assert "lookup copies" in ex.problems(32 * 16)[0]
    assert "entries of the one-hot matrix" in ex.problems(32 * 50_000)[0]
    assert "size of W0" in ex.problems(50_000 * 16)[0]
    for flops in (2 * 32 * 50_000 * 16, float(2 * 32 * 50_000 * 16)):   # a multiply and an add
        assert "counted multiplies and adds separately" in ex.problems(flops)[0]
    assert "not the number of multiply-adds" in ex.problems(7)[0]
    assert "should be one number" in ex.problems("many")[0]


def test_chapter_2_output_delta_exercise():
    ex = exercise("ch2-output-delta")
    assert ex.problems([0.1 * 0.9 * 0.1, 0.8 * 0.2 * 0.8]) == []
    assert "cross-entropy delta" in ex.problems([0.1, 0.8])[0]
    assert "sign is flipped" in ex.problems([-0.009, -0.128])[0]
    assert "expected shape (2,)" in ex.problems([0.009])[0]


def test_chapter_2_bias_gradient_exercise():
    ex = exercise("ch2-bias-gradient")
    W0, W1 = init_weights(3, 5, np.random.default_rng(0))
    # dL/db = sum over samples of dL/dz, and dL/dz is the sum of dL/dW1 ... computed here
    # independently by a finite difference on a bias added to z.
    def loss_with_bias(b):
        hidden = np.eye(3)[CODES] @ W0
        p = 1 / (1 + np.exp(-(hidden @ W1 + b)))
        return 0.5 * np.sum((np.array(TARGETS)[:, None] - p) ** 2)
    numeric = (loss_with_bias(1e-6) - loss_with_bias(-1e-6)) / 2e-6
    assert ex.problems(numeric) == []
    assert "sign is flipped" in ex.problems(-numeric)[0]
    assert "single number" in ex.problems([numeric, numeric])[0]
    assert "is not dL/db" in ex.problems(numeric + 1)[0]


def test_chapter_2_embedding_size_exercise():
    ex = exercise("ch2-embedding-size")
    W0, W1 = init_weights(3, 2, np.random.default_rng(0))
    right = train_network(CODES, TARGETS, W0, W1, 0.1, 60_000).outputs
    assert ex.problems(right) == []
    # The check trains its own way, one delta per category: the same outputs to rounding.
    from checks_toy_network import _outputs_after_training
    assert np.allclose(_outputs_after_training(2), right, rtol=0, atol=1e-12)
    W0, W1 = init_weights(3, 5, np.random.default_rng(0))
    five = train_network(CODES, TARGETS, W0, W1, 0.1, 60_000).outputs
    assert "5-dimensional network" in ex.problems(five)[0]
    assert ex.problems([1, 1, 0, 0]) != []


def test_chapter_3_cosine_exercise():
    ex = exercise("ch3-cosine")
    u, v = np.array([1.0, 0.0]), np.array([-1.0, 1.0])
    right = 1 - u @ v / (np.linalg.norm(u) * np.linalg.norm(v))
    assert ex.problems(right) == []
    assert "cosine similarity" in ex.problems(1 - right)[0]
    assert "that is the angle" in ex.problems(135)[0]
    assert "check the sign" in ex.problems(1 - 1 / np.sqrt(2))[0]
    assert "one number" in ex.problems([right])[0]


def test_chapter_3_orthogonal_exercise():
    ex = exercise("ch3-orthogonal")
    h, w1 = np.array([1.0, 2.0, 3.0]), np.array([0.0, 3.0, 4.0])
    along = (h @ w1) / (w1 @ w1) * w1
    assert ex.problems(h - along) == []
    assert "part along W1" in ex.problems(along)[0]
    assert "not orthogonal to W1" in ex.problems(h)[0]
    assert "expected shape (3,)" in ex.problems([1, 0])[0]


def test_chapter_3_robustness_exercise():
    ex = exercise("ch3-robustness")
    # The answer computed with train_network (not the checker's loop) and cosine distances
    # from their definition. Like the checker, it trains each run in the coordinates of the
    # span of W1 and the initial rows (a width-4 network with the same dot products), which
    # is checked here too: on 5 runs, the full width-30 training gives the same distances.
    W0, W1 = init_weights(3, 30, np.random.default_rng(7), runs=100)
    basis = np.stack([np.linalg.qr(np.column_stack([w0.T, w1]))[0] for w0, w1 in zip(W0, W1)])
    W0_coords, W1_coords = W0 @ basis, np.swapaxes(basis, 1, 2) @ W1
    coordinates = train_network(CODES, TARGETS, W0_coords, W1_coords, 0.1, 10_000).W0

    def distances(stack):
        d = [[1 - a @ b / (np.linalg.norm(a) * np.linalg.norm(b))
              for a, b in [(run[0], run[1]), (run[0], run[2]), (run[1], run[2])]]
             for run in stack]
        return np.array(d)

    full_width = train_network(CODES, TARGETS, W0[:5], W1[:5], 0.1, 2_000).W0
    short = train_network(CODES, TARGETS, W0_coords[:5], W1_coords[:5], 0.1, 2_000).W0
    assert np.allclose(distances(full_width), distances(short), rtol=0, atol=1e-9)
    trained = coordinates

    def holds(d):
        return np.mean((d[:, 0] < d[:, 1]) & (d[:, 0] < d[:, 2]))

    d = distances(trained)
    # No run is so near a tie that rounding could flip it: the answer is well defined.
    assert np.abs(np.minimum(d[:, 1], d[:, 2]) - d[:, 0]).min() > 1e-6
    right = holds(d)
    assert 0.05 < right < 0.95                       # an answer that says something
    assert ex.problems(right) == [] and ex.problems(round(right, 2)) == []
    assert ex.problems(ex.solution) == []
    assert "percentage" in ex.problems(100 * right)[0]
    assert "fails" in ex.problems(1 - right)[0]
    only_02 = np.mean(d[:, 0] < d[:, 1])
    if abs(only_02 - right) > 0.005:
        assert "d(0,2) only" in ex.problems(only_02)[0]
    before = holds(distances(W0))
    if abs(before - right) > 0.005:
        assert "before training" in ex.problems(before)[0]
    assert "not every run" in ex.problems(1.0)[0]
    assert "between 0 and 1" in ex.problems(1.5)[0]
    assert "between 0 and 1" in ex.problems(-0.1)[0]
    assert "is not the fraction" in ex.problems(right + 0.03)[0]
    for junk in ("0.74", [right], None):
        assert "should be one number" in ex.problems(junk)[0]
    assert "not a finite number" in ex.problems(float("nan"))[0]


def test_chapter_4_exercises():
    reduction = exercise("ch4-sum-reduction")
    assert reduction.problems(0.05) == []
    assert "default reduction" in reduction.problems(0.2)[0]
    assert "twice the NumPy loss" in reduction.problems(0.1)[0]
    assert "one Keras step is 10 times the NumPy step" in reduction.problems(0.5)[0]
    lookup = exercise("ch4-integer-lookup")
    assert lookup.problems([2, 0, 1]) == []
    assert "reserves index 0" in lookup.problems([1, -1, 0])[0]
    assert lookup.problems([0, 1, 2]) != []


def test_chapter_4_adam_exercise():
    adam = exercise("ch4-adam-repeat")
    # Right: sqrt(2), at the precision the solution prints and finer.
    for right in (1.41, 1.414, np.sqrt(2), np.float32(1.4142), np.array(1.414)):
        assert adam.problems(right) == [], right
    assert adam.problems(adam.solution) == []
    # Typical wrong answers get a message that says what went wrong.
    assert "square different things" in adam.problems(1)[0]
    assert "square root of the second" in adam.problems(2)[0]
    assert "square root of the second" in adam.problems(4.0)[0]
    assert "upside down" in adam.problems(1 / np.sqrt(2))[0]
    assert "upside down" in adam.problems(0.5)[0]
    assert "is not the ratio" in adam.problems(1.5)[0]
    assert adam.problems(1.42) != []          # close, but not sqrt(2) to two decimals
    assert adam.problems(1.405) != []
    # Junk gets a sentence, never an exception.
    for junk in ("1.414", [1.414], float("nan"), float("inf"), None, {"ratio": 1.414}, object()):
        problems = adam.problems(junk)
        assert problems and all(isinstance(p, str) for p in problems), junk
