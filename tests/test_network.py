"""Unit tests of book/network.py, the NumPy network: gradients checked against finite
differences, stacked runs against separate ones, and clear errors for bad input."""

from __future__ import annotations

import numpy as np
import pytest

from network import forward, init_weights, loss_and_gradients, sigmoid, train_network

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


def test_per_run_weight_decay_equals_separate_runs():
    W0s, W1s = init_weights(3, 5, np.random.default_rng(6), runs=2)
    decays = np.array([0.0, 0.01])
    together = train_network(CODES, TARGETS, W0s, W1s, 0.1, 300, weight_decay=decays)
    for run in range(2):
        alone = train_network(CODES, TARGETS, W0s[run], W1s[run], 0.1, 300, weight_decay=decays[run])
        assert np.allclose(together.W0[run], alone.W0, rtol=1e-12, atol=1e-14)


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
