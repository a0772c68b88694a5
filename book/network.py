"""The two-layer network of the source experiment in NumPy, as chapter 2 builds it: ``forward``,
``loss_and_gradients`` and ``train_network``, for one run or a stack of runs. It imports NumPy
and the book's categories.py only.
"""

from __future__ import annotations

import numbers

import numpy as np

from categories import as_category_codes, one_hot

__all__ = ["LOSSES", "sigmoid", "init_weights", "forward", "loss_and_gradients",
           "train_network", "TrainingHistory"]


# Shapes: codes (m,), targets (m,), W0 (n, d), W1 (d, 1). Every function also takes
# a stack of S independent runs, W0 (S, n, d) and W1 (S, d, 1), and then returns
# stacked results; that is how a later chapter trains hundreds of seeds at once.

LOSSES = ("half_sse", "cross_entropy")


def sigmoid(z: np.ndarray) -> np.ndarray:
    # Written with exp(-|z|) so that large |z| neither overflows nor warns:
    # 1 / (1 + e) for z >= 0, e / (1 + e) below, with one division for both.
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0, e) / (1 + e)


def init_weights(n_categories: int, embedding_dim: int, rng: np.random.Generator,
                 scale: float = 1.0, runs: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """W0 (n, d) and W1 (d, 1) drawn uniformly from [-scale, scale), as the source does
    with ``2 * random - 1``; with ``runs=S``, stacks of S independent draws."""
    if not isinstance(rng, np.random.Generator):
        raise ValueError("rng must be a numpy.random.Generator, e.g. np.random.default_rng(0)")
    lead = () if runs is None else (runs,)
    W0 = scale * (2 * rng.random(lead + (n_categories, embedding_dim)) - 1)
    W1 = scale * (2 * rng.random(lead + (embedding_dim, 1)) - 1)
    return W0, W1


def _check_network_input(codes, targets, W0, W1):
    W0, W1 = np.asarray(W0, dtype=float), np.asarray(W1, dtype=float)
    if W0.ndim not in (2, 3) or W1.ndim != W0.ndim:
        raise ValueError(
            f"W0 must have shape (n, d) (or (runs, n, d)) and W1 shape (d, 1) (or "
            f"(runs, d, 1)); got W0 {W0.shape} and W1 {W1.shape}")
    if W1.shape[-2:] != (W0.shape[-1], 1) or W1.shape[:-2] != W0.shape[:-2]:
        raise ValueError(
            f"W1 must have shape {W0.shape[:-2] + (W0.shape[-1], 1)} to follow W0 of shape "
            f"{W0.shape} (one output weight per embedding dimension); got {W1.shape}")
    codes = as_category_codes(codes, W0.shape[-2])
    if targets is not None:
        targets = np.asarray(targets, dtype=float)
        if targets.shape != codes.shape:
            raise ValueError(
                f"targets must have one value per sample, shape {codes.shape}; got {targets.shape}")
        if not np.all((targets >= 0) & (targets <= 1)):
            raise ValueError("targets must lie in [0, 1] for a sigmoid output")
    return codes, targets, W0, W1


def forward(codes, W0, W1) -> tuple[np.ndarray, np.ndarray]:
    """Hidden layer H = OneHot(codes) @ W0 (m, d) and output sigmoid(H @ W1) (m, 1)."""
    codes, _, W0, W1 = _check_network_input(codes, None, W0, W1)
    hidden = one_hot(codes, W0.shape[-2]) @ W0
    return hidden, sigmoid(hidden @ W1)


def loss_and_gradients(codes, targets, W0, W1, loss: str = "half_sse"):
    """The loss summed over samples, and its gradients with respect to W0 and W1.

    ``half_sse``: L = 1/2 sum (y - p)^2, output delta (y - p) p (1 - p), the source's rule.
    ``cross_entropy``: L = -sum [y log p + (1 - y) log(1 - p)], output delta y - p.
    Returns (L, dL/dW0, dL/dW1, p); gradient descent subtracts the gradients.
    """
    _check_loss(loss)
    codes, targets, W0, W1 = _check_network_input(codes, targets, W0, W1)
    return _loss_and_gradients(one_hot(codes, W0.shape[-2]), targets[:, None], W0, W1, loss)


def _check_loss(loss):
    if loss not in LOSSES:
        raise ValueError(f"loss must be one of {LOSSES}, got {loss!r}")


def _loss_and_gradients(X, y, W0, W1, loss):
    """The computation of :func:`loss_and_gradients` on checked input: X one-hot, y (m, 1)."""
    hidden = X @ W0
    z = hidden @ W1
    p = sigmoid(z)
    error = y - p
    # np.add.reduce is np.sum without its Python wrapper: the same sum, and this runs
    # tens of thousands of times per training.
    if loss == "half_sse":
        value = 0.5 * np.add.reduce(error ** 2, axis=(-2, -1))
        delta_out = error * p * (1 - p)                # = -dL/dz
    else:
        # log p = -log(1 + e^-z), written stably through logaddexp
        value = np.add.reduce(y * np.logaddexp(0, -z) + (1 - y) * np.logaddexp(0, z),
                              axis=(-2, -1))
        delta_out = error                              # = -dL/dz
    delta_hidden = delta_out @ np.swapaxes(W1, -1, -2)  # (m, d) = -dL/dH
    grad_W1 = -(np.swapaxes(hidden, -1, -2) @ delta_out)
    grad_W0 = -(X.T @ delta_hidden)
    return value, grad_W0, grad_W1, p


def _one_per_run(value, name, W0):
    """A number, or an array with one value per stacked run, shaped to broadcast."""
    array = np.asarray(value, dtype=float)
    if array.ndim == 0:
        return array
    if array.ndim == 1 and W0.ndim == 3 and array.shape[0] == W0.shape[0]:
        return array[:, None, None]
    raise ValueError(f"{name} must be a number, or one value per run for stacked weights; "
                     f"got shape {array.shape} for W0 of shape {W0.shape}")


class TrainingHistory:
    """What :func:`train_network` records: per-iteration loss and mean absolute error
    (before each update, as the source printed them), and weight snapshots."""

    def __init__(self, loss, mae, snapshots, W0, W1, outputs):
        self.loss, self.mae = loss, mae
        self.snapshots = snapshots        # {iteration: (W0, W1)} before that update
        self.W0, self.W1, self.outputs = W0, W1, outputs

    def __repr__(self):
        return (f"TrainingHistory({len(self.loss)} iterations, final loss "
                f"{np.ravel(self.loss[-1])}, final MAE {np.ravel(self.mae[-1])})")


def train_network(codes, targets, W0, W1, learning_rate: float = 0.1,
                  iterations: int = 60_000, loss: str = "half_sse",
                  snapshot_every: int | None = None,
                  weight_decay: float = 0.0) -> TrainingHistory:
    """Full-batch gradient descent from W0, W1 (copied, not changed).

    ``learning_rate`` and ``weight_decay`` may be arrays of shape (runs,) to give each
    stacked run its own value.
    ``weight_decay`` adds ``weight_decay * W`` to each gradient (an L2 penalty).
    """
    if isinstance(iterations, bool) or not isinstance(iterations, numbers.Integral) or iterations < 0:
        raise ValueError(f"iterations must be a whole number >= 0, got {iterations!r}")
    _check_loss(loss)
    codes, targets, W0, W1 = _check_network_input(codes, targets, W0, W1)
    X, y = one_hot(codes, W0.shape[-2]), targets[:, None]
    W0, W1 = W0.copy(), W1.copy()
    rate = _one_per_run(learning_rate, "learning_rate", W0)
    weight_decay = _one_per_run(weight_decay, "weight_decay", W0)
    lead = W0.shape[:-2]
    losses = np.empty((iterations + 1,) + lead)
    maes = np.empty((iterations + 1,) + lead)
    snapshots = {}
    decays = bool(np.any(weight_decay != 0))   # adding 0 * W changes nothing: skip it
    # The steps of _loss_and_gradients written out, with the same operations in the same
    # order (so the same bits), minus what a step does not need: each update adds
    # rate * (minus the gradient), which is exactly W - rate * gradient, so the gradients
    # are never negated; the error y - p is computed once; and nothing is looked up twice.
    half_sse, XT, m, axes = loss == "half_sse", X.T, y.shape[0], (-2, -1)
    swap = (lambda a: a.T) if W0.ndim == 2 else (lambda a: np.swapaxes(a, -1, -2))
    add, absolute = np.add.reduce, np.abs   # np.add.reduce: np.sum without its wrapper
    # The loss and the mean absolute error are summed after the steps, a block of steps at a
    # time: the same sums of the same numbers (so the same bits) in fewer operations. A block
    # keeps each step's y - p (and z, for the cross-entropy): about a million numbers.
    block = max(1, min(iterations + 1, 1_000_000 // (y.size * int(np.prod(lead, dtype=int)))))
    kept_error = np.empty((block,) + lead + y.shape)
    kept_z = None if half_sse else np.empty_like(kept_error)

    def record(first, count):   # the loss and the error of steps first, ..., first + count - 1
        error_block = kept_error[:count]
        if half_sse:
            losses[first:first + count] = 0.5 * add(error_block ** 2, axis=axes)
        else:
            z_block = kept_z[:count]
            losses[first:first + count] = add(
                y * np.logaddexp(0, -z_block) + (1 - y) * np.logaddexp(0, z_block), axis=axes)
        maes[first:first + count] = add(absolute(error_block), axis=axes) / m   # as np.mean

    step = 0
    try:
        with np.errstate(over="raise", invalid="raise"):
            for step in range(iterations + 1):
                if snapshot_every and step % snapshot_every == 0:
                    snapshots[step] = (W0.copy(), W1.copy())
                hidden = X @ W0
                z = hidden @ W1
                p = sigmoid(z)
                error = y - p
                in_block = step % block
                kept_error[in_block] = error
                if not half_sse:
                    kept_z[in_block] = z
                if in_block == block - 1 or step == iterations:
                    record(step - in_block, in_block + 1)
                if step == iterations:
                    break  # the last row records the trained weights; no update after it
                delta_out = error * p * (1 - p) if half_sse else error   # = -dL/dz
                down_W1 = swap(hidden) @ delta_out                       # = -dL/dW1
                down_W0 = XT @ (delta_out @ swap(W1))                    # = -dL/dW0
                if decays:
                    down_W0, down_W1 = down_W0 - weight_decay * W0, down_W1 - weight_decay * W1
                W0 += rate * down_W0
                W1 += rate * down_W1
    except FloatingPointError as error:
        raise ValueError(
            f"training diverged at iteration {step}: the weights overflowed float64 "
            f"({error}); use a smaller learning rate") from None
    return TrainingHistory(losses, maes, snapshots, W0, W1, p[..., 0])
