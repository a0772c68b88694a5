"""Unit tests of book/stacked_rating_models.py: the same model and training as Keras's, runs
that do not interact, each run's own early stopping, and clear errors for bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import movielens  # noqa: F401  (silences TensorFlow's start-up messages before Keras loads)
import keras
from movielens import model_inputs, rating_model
from stacked_rating_models import StackedRatingModels

USERS = np.array([3, 10, 11, 40])
FILMS = np.array([1, 2, 5, 7, 9, 20])


def toy_ratings(n, seed, unknown_films=False):
    """``n`` ratings of the toy users and films (with unknown films too, if asked)."""
    rng = np.random.default_rng(seed)
    films = np.concatenate([FILMS, [99, 100]]) if unknown_films else FILMS
    return pd.DataFrame({"userId": rng.choice(USERS, n), "movieId": rng.choice(films, n),
                         "rating": rng.choice(np.arange(1, 11) / 2, n),
                         "timestamp": np.arange(n)})


def rows_of(ratings, film_layer):
    users = keras.layers.IntegerLookup(vocabulary=USERS)(ratings.userId.to_numpy()).numpy()
    return users, film_layer(ratings.movieId.to_numpy()).numpy()


def keras_twin(stack, run, film_bins=None, width=4):
    """``movielens.rating_model`` holding run ``run``'s weights."""
    model = rating_model(USERS, FILMS, width, film_bins=film_bins)
    for name, value in stack.weights(run).items():
        model.get_layer(name).set_weights([value])
    return model


@pytest.mark.parametrize("film_bins", [None, 5])
def test_a_run_predicts_and_takes_an_adam_step_as_rating_model_does(film_bins):
    film_layer = (keras.layers.IntegerLookup(vocabulary=FILMS) if film_bins is None
                  else keras.layers.Hashing(num_bins=film_bins))
    n_film_rows = len(FILMS) + 1 if film_bins is None else film_bins
    stack = StackedRatingModels(len(USERS) + 1, [n_film_rows], seeds=[3], width=4)
    model = keras_twin(stack, 0, film_bins)
    batch = toy_ratings(32, seed=1, unknown_films=True)
    users, films = rows_of(batch, film_layer)
    np.testing.assert_allclose(stack.predict(users, films)[0],
                               np.asarray(model(model_inputs(batch)))[:, 0], atol=1e-6)
    # One Adam step on the same batch, L2 penalty included, as Keras's fit takes it.
    targets = batch.rating.to_numpy() - 3.5
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
    model.train_on_batch(model_inputs(batch), targets)
    stack.train_step(users, films, targets, learning_rate=0.01)
    for name, value in stack.weights(0).items():
        np.testing.assert_allclose(value, model.get_layer(name).get_weights()[0], atol=1e-6)
        assert not np.allclose(value, stack.weights(0, initial=True)[name])   # it did move


def fit_parts(seed_train, seed_valid, film_layers):
    parts = []
    for seed in (seed_train, seed_valid):
        ratings = toy_ratings(300, seed)
        users = rows_of(ratings, film_layers[0])[0]
        films = np.stack([layer(ratings.movieId.to_numpy()).numpy() for layer in film_layers])
        parts.append((users, films, ratings.rating.to_numpy() - 3.5))
    return parts


def test_stacked_runs_train_as_each_would_alone():
    layers = [keras.layers.IntegerLookup(vocabulary=FILMS), keras.layers.Hashing(num_bins=3),
              keras.layers.Hashing(num_bins=11)]
    sizes, seeds = [len(FILMS) + 1, 3, 11], [0, 1, 2]
    train, valid = fit_parts(5, 6, layers)
    together = StackedRatingModels(len(USERS) + 1, sizes, seeds, width=3)
    history = together.fit(train, valid, learning_rate=0.05, batch_size=64, max_epochs=6)
    for run in range(3):
        alone = StackedRatingModels(len(USERS) + 1, [sizes[run]], [seeds[run]], width=3)
        alone_history = alone.fit((train[0], train[1][run:run + 1], train[2]),
                                  (valid[0], valid[1][run:run + 1], valid[2]),
                                  learning_rate=0.05, batch_size=64, max_epochs=6)
        np.testing.assert_allclose(history[run, :alone_history.shape[1]], alone_history[0],
                                   atol=1e-5)
        assert together.best_epochs[run] == alone.best_epochs[0]
        for name, value in together.weights(run).items():
            np.testing.assert_allclose(value, alone.weights(0)[name], atol=1e-5)


def test_each_run_keeps_its_best_epoch_and_stops_as_early_stopping_does():
    layers = [keras.layers.IntegerLookup(vocabulary=FILMS)] * 2
    train, valid = fit_parts(7, 8, layers)
    stack = StackedRatingModels(len(USERS) + 1, [len(FILMS) + 1] * 2, [0, 1], width=3)
    # A large learning rate overfits 300 ratings within a few epochs, so the runs stop early.
    history = stack.fit(train, valid, learning_rate=0.3, batch_size=32, max_epochs=30,
                        patience=2)
    assert history.shape[1] < 30
    errors = stack.predict(valid[0], valid[1]) - valid[2]
    final_rmse = np.sqrt(np.mean(errors ** 2, axis=1))
    for run in range(2):
        trained = history[run][~np.isnan(history[run])]
        best = int(np.argmin(trained))
        assert stack.best_epochs[run] == best + 1
        np.testing.assert_allclose(final_rmse[run], trained[best], rtol=1e-5)
        # Keras's rule: stop after `patience` epochs without a new best.
        assert len(trained) == best + 1 + 2 or len(trained) == history.shape[1]


def test_bad_input_is_a_clear_error():
    with pytest.raises(ValueError, match="n_user_rows must be a positive integer"):
        StackedRatingModels(0, [3], [0], width=2)
    with pytest.raises(ValueError, match="one entry per run"):
        StackedRatingModels(5, [3, 4], [0], width=2)
    with pytest.raises(ValueError, match="n_film_rows must be a non-empty list"):
        StackedRatingModels(5, [], [], width=2)
    with pytest.raises(ValueError, match="seeds must hold integers"):
        StackedRatingModels(5, [3], [0.5], width=2)
    with pytest.raises(ValueError, match="l2 must be a non-negative number"):
        StackedRatingModels(5, [3], [0], width=2, l2=-1)
    stack = StackedRatingModels(5, [3, 4], [0, 1], width=2)
    with pytest.raises(ValueError, match="film_rows must be integers of shape"):
        stack.predict(np.array([0, 1]), np.zeros((3, 2), int))
    with pytest.raises(ValueError, match="user_rows must lie in 0..4"):
        stack.predict(np.array([0, 5]), np.array([0, 1]))
    with pytest.raises(ValueError, match="its n_film_rows - 1"):
        stack.predict(np.array([0, 1]), np.array([[0, 1], [0, 3]]) + np.array([[0], [1]]))
    with pytest.raises(ValueError, match="user_rows must be a 1-D array of integers"):
        stack.predict(np.array([0.5]), np.array([0]))
    with pytest.raises(ValueError, match="run must be an integer from 0 to 1"):
        stack.weights(2)
    with pytest.raises(ValueError, match="weights must be a dict"):
        stack.set_weights(0, {"user_vectors": np.zeros((5, 2))})
    good = stack.weights(1)
    with pytest.raises(ValueError, match="film_vectors must have shape"):
        stack.set_weights(1, {**good, "film_vectors": np.zeros((3, 2))})
    part = (np.array([0, 1]), np.zeros((2, 2), int), np.array([1.0, 2.0]))
    with pytest.raises(ValueError, match="batch_size must be a positive integer"):
        stack.fit(part, part, batch_size=0)
    with pytest.raises(ValueError, match="learning_rate must be a positive number"):
        stack.fit(part, part, learning_rate=0)
    with pytest.raises(ValueError, match="train must be"):
        stack.fit(part[:2], part)
    with pytest.raises(ValueError, match="one number per example"):
        stack.fit((part[0], part[1], np.array([1.0])), part)
