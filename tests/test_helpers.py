"""Unit tests of book/helpers.py: right answers, and clear errors for bad input."""

from __future__ import annotations

import numpy as np
import pytest

from helpers import (NOT_SOLVED, Exercise, animation_html, as_category_codes, best_seconds,
                     compare_arrays,
                     exercise, glue_value, plain_number,
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


# ---------------------------------------------------------------- the NumPy network

from helpers import (forward, init_weights, loss_and_gradients, sigmoid,  # noqa: E402
                     train_network)

CODES, TARGETS = [0, 1, 2, 2], [1, 1, 0, 0]


def test_sigmoid_is_stable_and_symmetric():
    z = np.array([-1000.0, -5.0, 0.0, 5.0, 1000.0])
    with np.errstate(over="raise", invalid="raise"):  # underflow to 0 is the right answer
        s = sigmoid(z)
    assert s[0] == 0.0 and s[-1] == 1.0 and s[2] == 0.5
    assert np.allclose(s + sigmoid(-z), 1)
    assert np.allclose(s[1:4], 1 / (1 + np.exp(-z[1:4])))


def test_init_weights_shapes_range_and_seed():
    W0, W1 = init_weights(3, 5, np.random.default_rng(0))
    assert W0.shape == (3, 5) and W1.shape == (5, 1)
    assert np.all((W0 >= -1) & (W0 < 1)) and np.all((W1 >= -1) & (W1 < 1))
    again, _ = init_weights(3, 5, np.random.default_rng(0))
    assert np.array_equal(W0, again)
    stacked, stacked1 = init_weights(3, 5, np.random.default_rng(0), runs=7, scale=0.05)
    assert stacked.shape == (7, 3, 5) and stacked1.shape == (7, 5, 1)
    assert np.abs(stacked).max() <= 0.05
    with pytest.raises(ValueError, match="numpy.random.Generator"):
        init_weights(3, 5, 0)


@pytest.mark.parametrize("loss", ["half_sse", "cross_entropy"])
def test_gradients_match_central_differences(loss):
    rng = np.random.default_rng(3)
    W0, W1 = init_weights(4, 3, rng)
    codes, targets = [0, 3, 3, 1, 0], [1, 0, 0, 1, 1]
    _, g0, g1, _ = loss_and_gradients(codes, targets, W0, W1, loss)
    h = 1e-6
    for W, g, which in ((W0, g0, 0), (W1, g1, 1)):
        for index in np.ndindex(W.shape):
            plus, minus = W.copy(), W.copy()
            plus[index] += h
            minus[index] -= h
            args_plus = (plus, W1) if which == 0 else (W0, plus)
            args_minus = (minus, W1) if which == 0 else (W0, minus)
            numeric = (loss_and_gradients(codes, targets, *args_plus, loss)[0]
                       - loss_and_gradients(codes, targets, *args_minus, loss)[0]) / (2 * h)
            assert np.isclose(g[index], numeric, rtol=1e-6, atol=1e-9), (loss, which, index)


def test_absent_category_gets_exactly_zero_gradient():
    W0, W1 = init_weights(4, 3, np.random.default_rng(1))
    _, g0, _, _ = loss_and_gradients([0, 0, 2], [1, 1, 0], W0, W1)
    assert np.array_equal(g0[1], np.zeros(3)) and np.array_equal(g0[3], np.zeros(3))


def test_stacked_runs_equal_separate_runs():
    W0s, W1s = init_weights(3, 5, np.random.default_rng(5), runs=3)
    rates = np.array([0.05, 0.1, 0.5])
    together = train_network(CODES, TARGETS, W0s, W1s, rates, iterations=200)
    for run in range(3):
        alone = train_network(CODES, TARGETS, W0s[run], W1s[run], rates[run], iterations=200)
        assert np.allclose(together.W0[run], alone.W0, rtol=1e-12, atol=1e-14)
        assert np.allclose(together.loss[:, run], alone.loss, rtol=1e-12, atol=1e-15)


def test_training_reduces_the_error_and_records_history():
    W0, W1 = init_weights(3, 5, np.random.default_rng(0))
    history = train_network(CODES, TARGETS, W0, W1, 0.1, iterations=3000, snapshot_every=1000)
    assert history.loss.shape == (3001,) and history.mae.shape == (3001,)
    assert history.mae[-1] < history.mae[0] / 10
    assert sorted(history.snapshots) == [0, 1000, 2000, 3000]
    assert np.array_equal(history.snapshots[0][0], W0)        # before any update
    assert np.array_equal(history.snapshots[3000][0], history.W0)
    assert np.array_equal(W0, init_weights(3, 5, np.random.default_rng(0))[0])  # not changed
    _, p = forward(CODES, history.W0, history.W1)
    assert np.allclose(p[:, 0], history.outputs)
    assert np.isclose(history.mae[-1], np.mean(np.abs(np.array(TARGETS) - history.outputs)))


def test_weight_decay_shrinks_the_weights():
    W0, W1 = init_weights(3, 5, np.random.default_rng(0))
    plain = train_network(CODES, TARGETS, W0, W1, 0.1, iterations=2000)
    decayed = train_network(CODES, TARGETS, W0, W1, 0.1, iterations=2000, weight_decay=0.01)
    assert np.linalg.norm(decayed.W0) < np.linalg.norm(plain.W0)


def test_divergence_is_an_error_not_nan():
    W0, W1 = init_weights(3, 5, np.random.default_rng(0), runs=200)
    with pytest.raises(ValueError, match="training diverged at iteration"):
        train_network(CODES, TARGETS, W0, W1, 100.0, iterations=2000, loss="cross_entropy")


@pytest.mark.parametrize("call, message", [
    (lambda W0, W1: forward([0, 3], W0, W1), "category code 3 at position 1 is out of range"),
    (lambda W0, W1: forward([0, 1], W0, W1.T), "W1 must have shape (5, 1)"),
    (lambda W0, W1: forward([0, 1], W0[0], W1), "W0 must have shape (n, d)"),
    (lambda W0, W1: forward(["a"], W0, W1), "got strings"),
    (lambda W0, W1: loss_and_gradients([0, 1], [1], W0, W1), "one value per sample"),
    (lambda W0, W1: loss_and_gradients([0, 1], [1, 2], W0, W1), "targets must lie in [0, 1]"),
    (lambda W0, W1: loss_and_gradients([0, 1], [1, 0], W0, W1, "mse"), "loss must be one of"),
    (lambda W0, W1: train_network([0, 1], [1, 0], W0, W1, iterations=-1), "iterations must be"),
    (lambda W0, W1: train_network([0, 1], [1, 0], W0, W1, [0.1, 0.2]), "one value per run"),
    (lambda W0, W1: train_network([0, 1], [1, 0], W0, W1, weight_decay=[0.1]), "weight_decay must be"),
])
def test_network_functions_reject_bad_input(call, message):
    W0, W1 = init_weights(3, 5, np.random.default_rng(0))
    with pytest.raises(ValueError) as error:
        call(W0, W1)
    assert message in str(error.value)


# ---------------------------------------------------------------- chapter 2's exercises

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
    W0, W1 = init_weights(3, 5, np.random.default_rng(0))
    five = train_network(CODES, TARGETS, W0, W1, 0.1, 60_000).outputs
    assert "5-dimensional network" in ex.problems(five)[0]
    assert ex.problems([1, 1, 0, 0]) != []


# ---------------------------------------------------------------- glue_value

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


def test_per_run_weight_decay_equals_separate_runs():
    W0s, W1s = init_weights(3, 5, np.random.default_rng(6), runs=2)
    decays = np.array([0.0, 0.01])
    together = train_network(CODES, TARGETS, W0s, W1s, 0.1, 300, weight_decay=decays)
    for run in range(2):
        alone = train_network(CODES, TARGETS, W0s[run], W1s[run], 0.1, 300, weight_decay=decays[run])
        assert np.allclose(together.W0[run], alone.W0, rtol=1e-12, atol=1e-14)


# ---------------------------------------------------------------- animation_html

def test_animation_html_is_offline_and_accessible():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.animation import FuncAnimation

    fig, ax = plt.subplots(figsize=(2, 2), dpi=40)
    (line,) = ax.plot([0, 1], [0, 0])
    anim = FuncAnimation(fig, lambda i: line.set_ydata([0, i]), frames=3)
    raw = anim.to_jshtml()
    assert 'href="https://' in raw          # what Matplotlib itself produces
    html = animation_html(anim, "A line that tilts <up>")
    plt.close(fig)
    assert "https://" not in html and "http://" not in html
    assert 'alt="A line that tilts &lt;up&gt;"' in html
    assert 'aria-label="Frame"' in html
    with pytest.raises(ValueError, match="alt text"):
        animation_html(anim, "  ")


# ---------------------------------------------------------------- embedding_plane

from helpers import draw_embedding_moves, embedding_plane  # noqa: E402


def test_embedding_plane_is_orthonormal_and_starts_along_w1():
    rng = np.random.default_rng(4)
    W0, W1 = rng.normal(size=(3, 5)), rng.normal(size=(5, 1))
    plane = embedding_plane(W0, W1)
    assert plane.shape == (2, 5)
    assert np.allclose(plane @ plane.T, np.eye(2))
    assert np.allclose(plane[0], W1[:, 0] / np.linalg.norm(W1))
    # the second axis is the direction of largest spread orthogonal to W1
    rest = W0 - np.outer(W0 @ plane[0], plane[0])
    best = np.linalg.norm(rest @ plane[1])
    for _ in range(100):
        other = rng.normal(size=5)
        other -= (other @ plane[0]) * plane[0]
        assert np.linalg.norm(rest @ (other / np.linalg.norm(other))) <= best + 1e-12


def test_embedding_plane_when_every_row_lies_along_w1():
    w1 = np.array([[1.0], [2.0], [2.0]])
    plane = embedding_plane(np.outer([1.0, -2.0], w1[:, 0]), w1)
    assert np.allclose(plane @ plane.T, np.eye(2))


@pytest.mark.parametrize("W0, W1, message", [
    (np.ones((3, 5)), np.ones((4, 1)), "W0 must be (n, d) and W1 (d, 1)"),
    (np.ones(5), np.ones((5, 1)), "W0 must be (n, d)"),
    (np.ones((3, 5)), np.zeros((5, 1)), "non-zero W1"),
    (np.ones((3, 1)), np.ones((1, 1)), "d >= 2"),
])
def test_embedding_plane_rejects_bad_input(W0, W1, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        embedding_plane(W0, W1)


def test_draw_embedding_moves_returns_plane_coordinates():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rng = np.random.default_rng(5)
    start, end, W1 = rng.normal(size=(3, 4)), rng.normal(size=(3, 4)), rng.normal(size=(4, 1))
    fig, ax = plt.subplots()
    s, e = draw_embedding_moves(ax, start, end, W1, ["a", "b", "c"])
    fig.canvas.draw()
    # Equal scales: a unit across is as many pixels as a unit up, so slopes are true.
    (x0, y0), (x1, y1) = ax.transData.transform([(0, 0), (1, 1)])
    plt.close(fig)
    assert ax.get_aspect() == 1.0 and np.isclose(x1 - x0, y1 - y0)
    plane = embedding_plane(end, W1)
    assert np.allclose(s, start @ plane.T) and np.allclose(e, end @ plane.T)


# ---------------------------------------------------------------- chapters 3 and 4 exercises

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


# ---------------------------------------------------------------- chapters 5 to 7 exercises

def test_chapter_5_exercises():
    parameters = exercise("ch5-parameters")
    assert parameters.problems((600 + 1 + 8000 + 1) * 17) == []
    assert "out-of-vocabulary row" in parameters.problems((600 + 8000) * 17)[0]
    assert "bias tables" in parameters.problems((600 + 8000 + 2) * 16)[0]
    assert "whole number" in parameters.problems(1.5)[0]
    neighbour = exercise("ch5-neighbour")
    assert neighbour.problems(("B", "C")) == []
    assert neighbour.problems(["b", " c"]) == []
    assert "compare the angles" in neighbour.problems(("C", "C"))[0]
    assert "Euclidean distance" in neighbour.problems(("B", "B"))[0]
    assert "two letters" in neighbour.problems("BC")[0]


def test_chapter_6_exercises():
    rows = exercise("ch6-rows-moved")
    assert rows.problems({3, 5, 8}) == []
    assert rows.problems([8, 3, 5, 3]) == []
    assert "not in the batch" in rows.problems({3, 5, 8, 0})[0]
    assert "rows [8] are looked up" in rows.problems({3, 5})[0]
    assert "set of row numbers" in rows.problems("358")[0]
    trainable = exercise("ch6-trainable")
    assert trainable.problems((33, 7158 * 32 + 33)) == []
    assert "has a bias" in trainable.problems((32, 7158 * 32 + 33))[0]
    assert "fine-tuned" in trainable.problems((33, 7158 * 32))[0]
    assert "two numbers" in trainable.problems(33)[0]


def test_chapter_7_exercises():
    collisions = exercise("ch7-collisions")
    assert collisions.problems(1 - (1 - 1 / 10_000) ** 999) == []
    assert "approximation" in collisions.problems(0.1)[0]
    assert "999 others" in collisions.problems(0.5)[0]
    assert "one number" in collisions.problems("0.095")[0]
    memory = exercise("ch7-table-memory")
    assert memory.problems((2.56, 7.68)) == []
    assert "4 bytes" in memory.problems((5.12, 7.68))[0]
    assert "two moment tables" in memory.problems((2.56, 5.12))[0]
    assert "looks like bytes" in memory.problems((2.56e9, 7.68e9))[0]
    assert "two numbers" in memory.problems(2.56)[0]
    assert "two numbers" in memory.problems(("a", "b"))[0]


# ---------------------------------------------------------------- timing and glue

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


def test_glue_value_checks_the_number_even_without_myst_nb(monkeypatch):
    import sys
    monkeypatch.setitem(sys.modules, "myst_nb", None)   # "import myst_nb" now fails, as on Colab
    assert glue_value("fine", 1.5) is None
    with pytest.raises(ValueError, match="glue 'bad'"):
        glue_value("bad", float("nan"))


def test_chapter_timer_glues_the_seconds_since_it_was_made(monkeypatch):
    import time

    import helpers
    glued = []
    monkeypatch.setattr(helpers, "glue_value", lambda name, value: glued.append((name, value)))
    timer = helpers.chapter_timer()
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


def test_chapter_6_which_rows_exercise():
    which = exercise("ch6-which-rows")
    assert which.problems(("d", "b")) == []
    assert which.problems(["(D)", " b "]) == []                 # case, spaces, brackets
    assert "other genres are in the fine-tuning data" in which.problems(("b", "b"))[0]
    assert "no genre label" in which.problems(("e", "b"))[0]
    assert "bring nothing" in which.problems(("d", "d"))[0]
    assert "used to choose, not to train" in which.problems(("d", "c"))[0]
    both_wrong = which.problems(("a", "a"))
    assert len(both_wrong) == 2 and both_wrong[0].startswith("shared")
    assert both_wrong[1].startswith("disjoint")
    assert "one of the letters" in which.problems(("f", "b"))[0]
    for not_a_pair in ("db", {"d", "b"}, ("d",), ("d", "b", "a")):
        assert "(shared, disjoint)" in which.problems(not_a_pair)[0], not_a_pair


def test_chapter_6_adam_scale_exercise():
    scale = exercise("ch6-adam-scale")
    assert scale.problems(({"b"}, {"a", "b", "c"})) == []
    assert scale.problems((["B"], "abc")) == []                 # lists and strings of letters
    assert scale.problems(("b", "a, b, c")) == []
    too_many = scale.problems(({"a", "b", "c"}, {"a", "b", "c"}))
    assert len(too_many) == 2 and all("the scale cancels" in p for p in too_many)
    assert "multiplies Adam's step directly" in scale.problems((set(), {"a", "b", "c"}))[0]
    assert scale.problems(({"b"}, {"b", "c"}))[0].startswith("SGD: (a)")
    assert "one of the letters a, b, c" in scale.problems(({"d"}, {"a"}))[0]
    assert "two sets of letters" in scale.problems({"b"})[0]
    assert "set of letters" in scale.problems((1, {"a"}))[0]
