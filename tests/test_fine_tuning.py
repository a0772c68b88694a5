"""Unit tests of book/fine_tuning.py: the stacked trainer against a plain loop and Keras,
what it leaves untouched, and clear errors for bad input."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from fine_tuning import BETA_1, BETA_2, EPSILON, adam_update, logistic_regression, train_stack


def problem(n_runs=4, n_films=12, width=3, n_outputs=2, seed=0):
    """A small random problem: start table, heads, labels, and known masks in which
    runs 0 and 1 know every film's labels and runs 2 and 3 only films 0-4's."""
    rng = np.random.default_rng(seed)
    table = rng.normal(0, 0.3, (n_films, width)).astype("float32")
    head = rng.normal(0, 0.5, (n_runs, width + 1, n_outputs)).astype("float32")
    labels = (rng.random((n_films, n_outputs)) < 0.5).astype("float32")
    labels[0], labels[1] = 0, 1                      # each output has both labels
    known = np.ones((n_runs, n_films, n_outputs), "float32")
    known[2:, 5:] = 0
    return table, head, labels, known


def plain_loop(table, head, labels, known, head_rate, table_rate, steps, optimizer):
    """One run, the obvious way, in float64: the reference the stack must match."""
    table, head = table.astype(float).copy(), head.astype(float).copy()
    weight = known / known.sum(axis=0)
    state = [np.zeros_like(table), np.zeros_like(table), np.zeros_like(head), np.zeros_like(head)]
    for step in range(1, steps + 1):
        logits = table @ head[:-1] + head[-1]
        error = weight * (1 / (1 + np.exp(-logits)) - labels)
        head_gradient = np.vstack([table.T @ error, error.sum(axis=0)])
        table_gradient = error @ head[:-1].T
        if optimizer == "adam":
            head, state[2], state[3] = adam_update(head, head_gradient, state[2], state[3],
                                                   head_rate, step)
            if table_rate is not None:
                table, state[0], state[1] = adam_update(table, table_gradient, state[0],
                                                        state[1], table_rate, step)
        else:
            head = head - head_rate * head_gradient
            if table_rate is not None:
                table = table - table_rate * table_gradient
    return table, head


@pytest.mark.parametrize("optimizer, head_rate, table_rate", [
    ("adam", 0.05, 0.01), ("adam", 0.02, 0.02), ("sgd", 2.0, 0.5), ("adam", 0.05, None)])
def test_each_run_of_the_stack_trains_as_it_would_alone(optimizer, head_rate, table_rate):
    table, head, labels, known = problem()
    rates = np.array([1.0, 0.5, 1.0, 2.0])           # a different rate for each run
    log = train_stack(table, head, labels, known, head_rate * rates,
                      None if table_rate is None else table_rate * rates, steps=20,
                      optimizer=optimizer, watch=1)
    for run in range(4):
        expected_table, expected_head = plain_loop(
            table, head[run], labels, known[run], head_rate * rates[run],
            None if table_rate is None else table_rate * rates[run], 20, optimizer)
        assert np.allclose(log.table[run], expected_table, atol=1e-5)
        assert np.allclose(log.heads[-1, run], expected_head, atol=1e-5)
        expected_logits = expected_table @ expected_head[:-1, 1] + expected_head[-1, 1]
        assert np.allclose(log.logits[-1, run], expected_logits, atol=1e-4)
        moves = np.linalg.norm(expected_table - table, axis=1)
        assert np.allclose(log.moves[-1, run], moves, atol=1e-5)


def test_rows_with_no_known_label_stay_exactly_where_they_started():
    table, head, labels, known = problem()
    log = train_stack(table, head, labels, known, 0.1, 0.1, steps=15)
    assert np.array_equal(log.table[2:, 5:], np.broadcast_to(table[5:], (2, 7, 3)))
    assert (log.moves[:, 2:, 5:] == 0).all()
    assert (log.moves[-1, :2] > 0).all() and (log.moves[-1, 2:, :5] > 0).all()


def test_a_frozen_table_does_not_move_and_the_head_still_learns():
    table, head, labels, known = problem()
    log = train_stack(table, head, labels, known, 0.1, None, steps=10)
    assert np.array_equal(log.table, np.broadcast_to(table, log.table.shape))
    assert (log.moves == 0).all()
    assert not np.allclose(log.heads[-1], head)


def test_runs_are_independent_of_their_neighbours_in_the_stack():
    table, head, labels, known = problem()
    together = train_stack(table, head, labels, known, 0.05, 0.01, steps=10)
    alone = train_stack(table, head[3:], labels, known[3:], 0.05, 0.01, steps=10)
    assert np.allclose(together.logits[:, 3], alone.logits[:, 0], atol=1e-6)
    assert np.allclose(together.table[3], alone.table[0], atol=1e-6)


def test_adams_first_step_is_the_learning_rate_whatever_the_gradients_scale():
    gradient = np.array([0.1, -2.0, 50.0, 1e-6])
    for scale in (1.0, 1e-3):
        weights, _, _ = adam_update(np.zeros(4), scale * gradient, np.zeros(4), np.zeros(4),
                                    0.01, 1)
        # At step 1 the step is rate * g / (|g| + eps'), eps' = EPSILON / sqrt(1 - BETA_2):
        # the rate itself unless the gradient is as small as eps' (about 3e-6).
        small = EPSILON / np.sqrt(1 - BETA_2)
        assert np.allclose(weights, -0.01 * scale * gradient / (scale * np.abs(gradient) + small))
        assert np.allclose(weights[:3], -0.01 * np.sign(gradient[:3]), rtol=0.05)
    assert abs(weights[3]) < 0.001                   # a gradient of 1e-9 barely moves it
    assert (BETA_1, BETA_2, EPSILON) == (0.9, 0.999, 1e-7)


def test_the_stack_matches_keras_adam_with_a_rate_for_the_head_and_one_for_the_table():
    keras = pytest.importorskip("keras")
    table, head, labels, known = problem(n_runs=1)
    rows = np.arange(len(table))
    embedding = keras.layers.Embedding(len(table), 3)
    dense = keras.layers.Dense(2)
    embedding.build((None,))
    dense.build((None, 3))
    embedding.set_weights([table])
    dense.set_weights([head[0, :-1], head[0, -1]])
    head_optimizer, table_optimizer = keras.optimizers.Adam(0.05), keras.optimizers.Adam(0.01)
    weight = known[0] / known[0].sum(axis=0)
    import tensorflow as tf
    for _ in range(10):
        with tf.GradientTape() as tape:
            logits = dense(embedding(rows))
            loss = keras.ops.sum(weight * keras.ops.binary_crossentropy(labels, logits,
                                                                        from_logits=True))
        gradients = tape.gradient(loss, dense.trainable_variables + [embedding.embeddings])
        head_optimizer.apply_gradients(zip(gradients[:2], dense.trainable_variables))
        table_optimizer.apply_gradients([(gradients[2], embedding.embeddings)])
    log = train_stack(table, head, labels, known, 0.05, 0.01, steps=10)
    assert np.allclose(log.table[0], embedding.embeddings.numpy(), atol=1e-5)
    assert np.allclose(log.heads[-1, 0, :-1], dense.kernel.numpy(), atol=1e-5)


def test_a_diverging_run_turns_non_finite_quietly_and_alone():
    table, head, labels, known = problem(n_runs=2)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        log = train_stack(table * 100, head * 100, labels, known[:2], [1e30, 1e-3],
                          [1e30, 1e-3], steps=5, optimizer="sgd")
    assert not np.isfinite(log.logits[-1, 0]).all()
    assert np.isfinite(log.logits[:, 1]).all()


@pytest.mark.parametrize("change, error, message", [
    (dict(optimizer="rmsprop"), ValueError, "optimizer must be"),
    (dict(steps=0), ValueError, "steps must be"),
    (dict(steps=2.5), ValueError, "steps must be"),
    (dict(steps=True), ValueError, "steps must be"),
    (dict(head_rate=-1), ValueError, "positive and finite"),
    (dict(head_rate=np.nan), ValueError, "positive and finite"),
    (dict(head_rate="fast"), TypeError, "head_rate must be a number"),
    (dict(head_rate=[0.1, 0.1]), ValueError, "one per run"),
    (dict(table_rate=0.0), ValueError, "positive and finite"),
    (dict(table_rate=True), TypeError, "table_rate must be a number"),
    (dict(watch=2), ValueError, "watch must be"),
    (dict(watch="drama"), ValueError, "watch must be"),
    (dict(labels=np.full((12, 2), 0.5)), ValueError, "labels must be 0 or 1"),
    (dict(labels=np.zeros((11, 2))), ValueError, "labels must be"),
    (dict(known=np.zeros((4, 12, 2))), ValueError, "at least one known label"),
    (dict(known=np.ones((4, 12, 3))), ValueError, "known must be"),
    (dict(known=np.full((4, 12, 2), 2.0)), ValueError, "known must be 0 or 1"),
    (dict(head=np.zeros((4, 3, 2))), ValueError, "width \\+ 1"),
    (dict(head=np.zeros((4, 4))), ValueError, "head must have 3"),
    (dict(table=np.zeros((3, 12, 3))), ValueError, "table has 3 runs"),
    (dict(table=[["a"]]), TypeError, "table must be an array of numbers"),
    (dict(table=np.full((12, 3), np.inf)), ValueError, "NaN or infinity"),
])
def test_bad_input_gets_a_clear_error(change, error, message):
    table, head, labels, known = problem()
    arguments = dict(table=table, head=head, labels=labels, known=known, head_rate=0.1,
                     table_rate=0.1, steps=3)
    arguments.update(change)
    with pytest.raises(error, match=message):
        train_stack(**arguments)


def test_logistic_regression_minimises_its_penalised_loss():
    scipy_optimize = pytest.importorskip("scipy.optimize")
    rng = np.random.default_rng(1)
    x = rng.normal(size=(80, 4))
    y = (x @ [1.0, -2.0, 0.0, 0.5] + rng.normal(size=80) > 0).astype(float)
    penalty = 0.01

    def loss(w):
        z = x @ w[:-1] + w[-1]
        return np.mean(np.logaddexp(0, z) - y * z) + penalty * w[:-1] @ w[:-1]

    newton = logistic_regression(x, y, penalty)
    reference = scipy_optimize.minimize(loss, np.zeros(5), method="BFGS", tol=1e-10).x
    assert np.allclose(newton, reference, atol=1e-4)
    assert loss(newton) <= loss(reference) + 1e-12
    # A larger penalty shrinks the weights (not the bias).
    assert np.linalg.norm(logistic_regression(x, y, 1.0)[:-1]) < np.linalg.norm(newton[:-1])


@pytest.mark.parametrize("features, labels, penalty, message", [
    (np.zeros((3, 2)), [0, 1], 0.1, "3 rows and labels 2"),
    (np.zeros((3, 2)), [0, 0, 0], 0.1, "at least one of each"),
    (np.zeros((3, 2)), [0, 2, 1], 0.1, "0 or 1"),
    (np.zeros((3, 2)), [0, 1, 1], 0.0, "penalty must be a positive"),
    (np.zeros((3, 2)), [0, 1, 1], "big", "penalty must be a positive"),
    (np.zeros(3), [0, 1, 1], 0.1, "features must have 2"),
])
def test_logistic_regression_refuses_bad_input(features, labels, penalty, message):
    with pytest.raises(ValueError, match=message):
        logistic_regression(features, labels, penalty)
