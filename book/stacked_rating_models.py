"""Several copies of the rating model of chapter 5, trained at once, for chapter 7's hashing study.

The rating model (``movielens.rating_model``) predicts a rating minus the mean as
user bias + film bias + user vector . film vector, with an L2 penalty on every table.
Chapter 7 trains it with a film vocabulary and with hashed film rows of two table sizes,
each for several seeds: fifteen small models. Trained one by one with ``Model.fit``, most
of their time goes to Keras's per-model and per-batch overhead, so this module trains them
together. Each copy (a *run*) gets its own block of rows in shared tables; the loss is the
sum of the runs' losses, so a run's gradient is exactly its own, and Adam updates every
number on its own, so the runs do not interact: training them stacked is training each
alone (the unit tests check both facts against Keras).

Each run has its own number of film rows (a vocabulary, or ``b`` hashed rows), its own seed
for the initial weights (uniform on [-0.05, 0.05], Keras's ``Embedding`` default) and for
the order of the batches, and stops on its own validation RMSE, the way
``keras.callbacks.EarlyStopping(monitor="val_rmse", patience=..., restore_best_weights=True)``
stops ``movielens.train_rating_model``.

Inputs are row numbers, not ids: the caller maps ids to rows (``IntegerLookup`` or
``Hashing``), exactly as the layers at the front of ``rating_model`` do.
It imports NumPy, TensorFlow and Keras only.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence

import numpy as np

__all__ = ["StackedRatingModels"]

_TABLES = ("user_vectors", "film_vectors", "user_bias", "film_bias")


class StackedRatingModels:
    """``len(seeds)`` rating models, one per seed and film table size, trained together.

    ``n_user_rows``: rows of each run's user table (the same for every run).
    ``n_film_rows``: rows of each run's film table, one number per run.
    ``seeds``: one integer per run; it sets the run's initial weights and batch order.
    """

    def __init__(self, n_user_rows: int, n_film_rows: Sequence[int], seeds: Sequence[int],
                 width: int, l2: float = 1e-4):
        import tensorflow as tf

        _check_positive_int(n_user_rows, "n_user_rows")
        _check_positive_int(width, "width")
        n_film_rows, seeds = list(_integers(n_film_rows, "n_film_rows")), list(
            _integers(seeds, "seeds"))
        for rows in n_film_rows:
            _check_positive_int(rows, "every entry of n_film_rows")
        if len(n_film_rows) != len(seeds):
            raise ValueError(f"n_film_rows and seeds need one entry per run, got "
                             f"{len(n_film_rows)} and {len(seeds)}")
        if (isinstance(l2, bool) or not isinstance(l2, numbers.Real) or not np.isfinite(l2)
                or l2 < 0):
            raise ValueError(f"l2 must be a non-negative number, got {l2!r}")
        self.n_user_rows, self.n_film_rows = int(n_user_rows), [int(n) for n in n_film_rows]
        self.seeds, self.width, self.l2 = [int(s) for s in seeds], int(width), float(l2)
        self.n_runs = len(seeds)
        # Run r's rows are user_offsets[r]:user_offsets[r] + n_user_rows, and so on.
        self._user_offsets = np.arange(self.n_runs) * self.n_user_rows
        self._film_offsets = np.concatenate([[0], np.cumsum(self.n_film_rows)[:-1]])
        blocks = {name: [] for name in _TABLES}
        for seed, film_rows in zip(self.seeds, self.n_film_rows):
            rng = np.random.default_rng(seed)
            for name, rows, columns in [("user_vectors", self.n_user_rows, width),
                                        ("film_vectors", film_rows, width),
                                        ("user_bias", self.n_user_rows, 1),
                                        ("film_bias", film_rows, 1)]:
                blocks[name].append(rng.uniform(-0.05, 0.05, (rows, columns)))
        self._initial = {name: np.concatenate(blocks[name]).astype(np.float32)
                         for name in _TABLES}
        self._tables = {name: tf.Variable(self._initial[name], name=name) for name in _TABLES}
        self._variables = [self._tables[name] for name in _TABLES]
        self._optimizer = None
        self._step = None
        self._learning_rate = None
        self.history = None
        self.best_epochs = None

    # ---------------------------------------------------------------- the model
    def _rows(self, user_rows, film_rows, name):
        """Row numbers of each run in the stacked tables, shape (runs, examples)."""
        film_rows = np.asarray(film_rows)
        user_rows = np.asarray(user_rows)
        if user_rows.ndim != 1 or not np.issubdtype(user_rows.dtype, np.integer):
            raise ValueError(f"{name}: user_rows must be a 1-D array of integers")
        if film_rows.ndim == 1:
            film_rows = np.broadcast_to(film_rows, (self.n_runs, len(film_rows)))
        if (film_rows.shape != (self.n_runs, len(user_rows))
                or not np.issubdtype(film_rows.dtype, np.integer)):
            raise ValueError(f"{name}: film_rows must be integers of shape (runs, examples) = "
                             f"({self.n_runs}, {len(user_rows)}), got shape {film_rows.shape}")
        if user_rows.size and not 0 <= user_rows.min() <= user_rows.max() < self.n_user_rows:
            raise ValueError(f"{name}: user_rows must lie in 0..{self.n_user_rows - 1}")
        limits = np.array(self.n_film_rows)[:, None]
        if film_rows.size and ((film_rows < 0) | (film_rows >= limits)).any():
            raise ValueError(f"{name}: a run's film_rows must lie in 0..its n_film_rows - 1")
        return (user_rows[None, :] + self._user_offsets[:, None],
                film_rows + self._film_offsets[:, None])

    @staticmethod
    def _predict_rows(tables, user_index, film_index):
        import tensorflow as tf

        users = tf.gather(tables["user_vectors"], user_index)
        films = tf.gather(tables["film_vectors"], film_index)
        return (tf.reduce_sum(users * films, axis=-1)
                + tf.gather(tables["user_bias"], user_index)[..., 0]
                + tf.gather(tables["film_bias"], film_index)[..., 0])

    def predict(self, user_rows, film_rows) -> np.ndarray:
        """Each run's predictions (a rating minus the mean), shape (runs, examples).

        ``film_rows`` is (runs, examples), or one row array shared by every run.
        """
        user_index, film_index = self._rows(user_rows, film_rows, "predict")
        return self._predict_rows(self._tables, user_index, film_index).numpy()

    def _slices(self, run):
        users = slice(self._user_offsets[run], self._user_offsets[run] + self.n_user_rows)
        films = slice(self._film_offsets[run], self._film_offsets[run] + self.n_film_rows[run])
        return {name: users if name.startswith("user") else films for name in _TABLES}

    def _check_run(self, run):
        if isinstance(run, bool) or not isinstance(run, numbers.Integral) or not (
                0 <= run < self.n_runs):
            raise ValueError(f"run must be an integer from 0 to {self.n_runs - 1}, got {run!r}")

    def weights(self, run: int, initial: bool = False) -> dict[str, np.ndarray]:
        """Run ``run``'s four tables, named as the layers of ``movielens.rating_model``;
        with ``initial=True``, as they were before any training."""
        self._check_run(run)
        return {name: (self._initial[name] if initial else self._tables[name].numpy())[rows]
                for name, rows in self._slices(run).items()}

    def set_weights(self, run: int, weights: dict[str, np.ndarray]) -> None:
        """Give run ``run`` these four tables (shapes as ``weights(run)`` returns them)."""
        self._check_run(run)
        if not isinstance(weights, dict) or set(weights) != set(_TABLES):
            raise ValueError(f"weights must be a dict with the keys {list(_TABLES)}")
        for name, rows in self._slices(run).items():
            whole = self._tables[name].numpy()
            value = np.asarray(weights[name], dtype=np.float32)
            if value.shape != whole[rows].shape:
                raise ValueError(f"{name} must have shape {whole[rows].shape}, "
                                 f"got {value.shape}")
            whole[rows] = value
            self._tables[name].assign(whole)

    # ---------------------------------------------------------------- training
    def _build_step(self, learning_rate):
        import keras
        import tensorflow as tf

        # Keras's Adam, as in movielens.train_rating_model; it updates every number on its own.
        self._optimizer = keras.optimizers.Adam(learning_rate)
        self._learning_rate = learning_rate
        self._optimizer.build(self._variables)
        tables, l2, optimizer = self._tables, self.l2, self._optimizer
        index = tf.TensorSpec((self.n_runs, None), tf.int64)

        @tf.function(input_signature=[index, index, tf.TensorSpec((self.n_runs, None))])
        def step(user_index, film_index, targets):
            with tf.GradientTape() as tape:
                errors = self._predict_rows(tables, user_index, film_index) - targets
                # Each run's mean squared error plus its L2 penalty, summed over the runs.
                loss = tf.reduce_sum(tf.reduce_mean(errors ** 2, axis=1)) + l2 * tf.add_n(
                    [tf.reduce_sum(table ** 2) for table in tables.values()])
            variables = list(tables.values())
            optimizer.apply(tape.gradient(loss, variables), variables)

        self._step = step

    def train_step(self, user_rows, film_rows, targets, learning_rate: float = 5e-3) -> None:
        """One Adam step of every run on one batch (the same for every run, for tests)."""
        user_index, film_index = self._rows(user_rows, film_rows, "train_step")
        targets = np.broadcast_to(np.asarray(targets, dtype=np.float32), user_index.shape)
        if self._step is None or self._learning_rate != learning_rate:
            self._build_step(learning_rate)
        self._step(user_index, film_index, targets)

    def fit(self, train: tuple, valid: tuple, learning_rate: float = 5e-3,
            batch_size: int = 1024, max_epochs: int = 20, patience: int = 2) -> np.ndarray:
        """Train every run with Adam, each on its own shuffled batches, and stop each run
        when its validation RMSE has not improved for ``patience`` epochs; keep each run's
        best epoch's weights.

        ``train`` and ``valid`` are ``(user_rows, film_rows, targets)``, ``film_rows`` of
        shape (runs, examples). Returns the validation RMSE of every run after every epoch
        it trained (NaN after it stopped), shape (runs, epochs); ``best_epochs`` holds each
        run's chosen epoch (counted from 1).
        """
        _check_positive_int(batch_size, "batch_size")
        _check_positive_int(max_epochs, "max_epochs")
        _check_positive_int(patience, "patience")
        if (isinstance(learning_rate, bool) or not isinstance(learning_rate, numbers.Real)
                or not learning_rate > 0):
            raise ValueError(f"learning_rate must be a positive number, got {learning_rate!r}")
        (user_train, film_train, y_train), (user_valid, film_valid, y_valid) = [
            _triple(part, name) for part, name in [(train, "train"), (valid, "valid")]]
        user_index, film_index = self._rows(user_train, film_train, "train")
        self._rows(user_valid, film_valid, "valid")
        y_train = np.asarray(y_train, dtype=np.float32)
        y_valid = np.asarray(y_valid, dtype=np.float64)
        if y_train.shape != user_train.shape or y_valid.shape != user_valid.shape:
            raise ValueError("targets must have one number per example")
        if self._step is None or self._learning_rate != learning_rate:
            self._build_step(learning_rate)
        orders = [np.random.default_rng(seed) for seed in self.seeds]
        runs = np.arange(self.n_runs)[:, None]
        best = np.full(self.n_runs, np.inf)
        wait, stopped = np.zeros(self.n_runs, int), np.zeros(self.n_runs, bool)
        best_tables = {name: table.numpy() for name, table in self._tables.items()}
        self.best_epochs = np.zeros(self.n_runs, int)
        history = np.full((self.n_runs, max_epochs), np.nan)
        for epoch in range(max_epochs):
            order = np.stack([rng.permutation(len(y_train)) for rng in orders])
            for start in range(0, len(y_train), batch_size):
                batch = order[:, start:start + batch_size]
                self._step(user_index[runs, batch], film_index[runs, batch], y_train[batch])
            errors = self.predict(user_valid, film_valid) - y_valid
            rmse = np.sqrt(np.mean(errors ** 2, axis=1))
            tables = {name: table.numpy() for name, table in self._tables.items()}
            for run in np.flatnonzero(~stopped):     # EarlyStopping's rule, run by run
                history[run, epoch] = rmse[run]
                wait[run] += 1
                if rmse[run] < best[run]:
                    best[run], wait[run], self.best_epochs[run] = rmse[run], 0, epoch + 1
                    for name, rows in self._slices(run).items():
                        best_tables[name][rows] = tables[name][rows]
                elif wait[run] >= patience and epoch > 0:
                    stopped[run] = True
            if stopped.all():
                break
        for name, table in self._tables.items():    # each run's best epoch
            table.assign(best_tables[name])
        self.history = history[:, :epoch + 1]
        return self.history


def _check_positive_int(value, name: str) -> None:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")


def _integers(values, name: str):
    if isinstance(values, (str, bytes)) or not isinstance(values, Sequence) or not values:
        raise ValueError(f"{name} must be a non-empty list of integers, got {values!r}")
    for value in values:
        if isinstance(value, bool) or not isinstance(value, numbers.Integral):
            raise ValueError(f"{name} must hold integers, got {value!r}")
    return values


def _triple(part, name: str):
    if not isinstance(part, (tuple, list)) or len(part) != 3:
        raise ValueError(f"{name} must be (user_rows, film_rows, targets)")
    return part
