"""A small TensorFlow cluster on this machine, for the sharding section of chapter 7.

``LocalCluster(workers=1, parameter_servers=2)`` starts one Python process, which imports
TensorFlow and waits.  ``cluster.run(function, **arrays)`` then has that process start one
gRPC server per task (a chief, the workers, the parameter servers), each addressed as
127.0.0.1 and a free port, and call ``function(cluster_resolver, **arrays)`` there as the
cluster's chief (the coordinator).  This is how TensorFlow's own tests run a cluster (every
server in one process); on a real cluster each server runs on its own machine.  When the
function returns, the process exits: ``tf.distribute.Server`` has no method to stop it
(TensorFlow's ``server_lib.py`` notes that clean shutdown is not implemented), so the notebook
itself never starts one, and no port stays open.

A TensorFlow server listens on every network interface and, by default, has no
authentication (TensorFlow's SECURITY.md); these servers live only while ``run`` runs.

The function travels as its source code, so it must be a plain ``def`` that imports what
it uses and returns a dict of NumPy arrays (or of what ``numpy.asarray`` turns into one).
This module needs only the standard library and NumPy; the cluster's process imports
TensorFlow.
"""

from __future__ import annotations

import inspect
import json
import numbers
import os
import socket
import subprocess
import sys
import tempfile
import textwrap
import types
from pathlib import Path
from typing import Any, Callable

import numpy as np

__all__ = ["LocalCluster", "ClusterRun", "listening"]

HOST = "127.0.0.1"


def listening(port: int, host: str = HOST) -> bool:
    """Whether something accepts TCP connections on ``host:port``."""
    if isinstance(port, bool) or not isinstance(port, numbers.Integral) or not 0 < port < 65536:
        raise ValueError(f"port must be an integer from 1 to 65535, got {port!r}")
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(1.0)
        return probe.connect_ex((host, int(port))) == 0


class ClusterRun:
    """What ``LocalCluster.run`` gives back: the function's results and the cluster it ran on."""

    def __init__(self, results: dict[str, np.ndarray], cluster_spec: dict[str, list[str]],
                 printed: str):
        self.results = results
        self.cluster_spec = cluster_spec
        self.printed = printed

    @property
    def ports(self) -> list[int]:
        """Every port the cluster's servers listened on."""
        return [int(address.rsplit(":", 1)[1])
                for addresses in self.cluster_spec.values() for address in addresses]

    def __repr__(self):
        return f"ClusterRun(results={sorted(self.results)}, cluster_spec={self.cluster_spec})"


class LocalCluster:
    """One process that will play a whole TensorFlow cluster, on 127.0.0.1, for one run."""

    def __init__(self, workers: int = 1, parameter_servers: int = 2):
        for name, value in [("workers", workers), ("parameter_servers", parameter_servers)]:
            if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
                raise ValueError(f"{name} must be a positive integer, got {value!r}")
        self.workers, self.parameter_servers = int(workers), int(parameter_servers)
        environment = dict(os.environ,
                           TF_CPP_MIN_LOG_LEVEL="3",     # TensorFlow's C++ log lines off
                           TF_ENABLE_ONEDNN_OPTS="0",    # the same CPU kernels as the book's
                           CUDA_VISIBLE_DEVICES="")      # the cluster stays on the CPU
        # Started now, so that TensorFlow's import overlaps whatever the caller does next.
        self._process = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve())], env=environment,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self._used = False

    def run(self, function: Callable[..., dict], timeout: float = 300, **arrays: Any) -> ClusterRun:
        """Start the servers, call ``function(cluster_resolver, **arrays)`` as the chief, stop.

        ``arrays`` are NumPy arrays or what ``numpy.asarray`` makes one of (numbers,
        nested lists), not Python objects.  Raises ``RuntimeError`` with the cluster's own
        error message if the function fails or writes anything to stderr, and if a port is
        still open after the process ended.
        """
        source, name = _function_source(function)
        if not (isinstance(timeout, numbers.Real) and not isinstance(timeout, bool)
                and timeout > 0):
            raise ValueError(f"timeout must be a positive number of seconds, got {timeout!r}")
        if "cluster_resolver" in arrays:
            raise ValueError("cluster_resolver is the function's first argument, given by run; "
                             "pass only the other arguments")
        arrays = {key: _plain_array(value, key) for key, value in arrays.items()}
        if self._used:
            raise RuntimeError("this LocalCluster has run already; a TensorFlow server cannot "
                               "be restarted, so make a new LocalCluster")
        if self._process.poll() is not None:
            raise RuntimeError("the cluster's process has ended (closed?); make a new LocalCluster")
        self._used = True
        with tempfile.TemporaryDirectory() as folder:
            inputs, outputs = Path(folder, "inputs.npz"), Path(folder, "outputs.npz")
            np.savez(inputs, **arrays)
            job = {"source": source, "name": name, "inputs": str(inputs),
                   "outputs": str(outputs), "workers": self.workers,
                   "parameter_servers": self.parameter_servers}
            try:
                printed, errors = self._process.communicate(json.dumps(job) + "\n",
                                                            timeout=timeout)
            except subprocess.TimeoutExpired:
                self.close()
                raise RuntimeError(f"the cluster did not finish within {timeout} s") from None
            if self._process.returncode != 0 or errors:
                raise RuntimeError(f"the cluster failed (exit code {self._process.returncode}):"
                                   f"\n{errors.strip()}")
            *printed_lines, spec_line = printed.rstrip("\n").split("\n")
            cluster_spec = json.loads(spec_line)
            with np.load(outputs, allow_pickle=False) as saved:
                results = {key: saved[key] for key in saved.files}
        run = ClusterRun(results, cluster_spec, "\n".join(printed_lines))
        still_open = [port for port in run.ports if listening(port)]
        if still_open:
            raise RuntimeError(f"ports {still_open} are still open after the cluster stopped")
        return run

    def close(self) -> None:
        """End the cluster's process if it still runs (before ``run``, no server is up)."""
        if self._process.poll() is None:
            self._process.kill()
            self._process.communicate()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def __del__(self):
        process = getattr(self, "_process", None)
        if process is not None and process.poll() is None:
            process.kill()


def _function_source(function) -> tuple[str, str]:
    """The source code and name of a plain function that can run in another process."""
    if not isinstance(function, types.FunctionType):
        raise TypeError(f"run needs a function defined with def, got {type(function).__name__}")
    if function.__name__ == "<lambda>":
        raise ValueError("run needs a function defined with def, not a lambda")
    if function.__code__.co_freevars:
        raise ValueError(f"{function.__name__} uses variables of an enclosing function "
                         f"({', '.join(function.__code__.co_freevars)}); it runs in another "
                         f"process, so pass them as arguments")
    try:
        source = textwrap.dedent(inspect.getsource(function))
    except (OSError, TypeError) as error:
        raise ValueError(f"the source of {function.__name__} cannot be read ({error})") from None
    return source, function.__name__


def _plain_array(value: Any, name: str) -> np.ndarray:
    """``value`` as a NumPy array of numbers, booleans or strings, or a ``ValueError``."""
    try:
        array = np.asarray(value)
    except ValueError as error:   # a ragged list, for one
        raise ValueError(f"{name} cannot be made an array ({error})") from None
    if array.dtype.kind not in "biufcUS":
        raise ValueError(f"{name} must be an array of numbers, booleans or strings, "
                         f"got {type(value).__name__} of dtype {array.dtype}")
    return array


def _free_ports(count: int) -> list[int]:
    """``count`` different ports that nothing listens on now, chosen by the system."""
    sockets = [socket.socket(socket.AF_INET, socket.SOCK_STREAM) for _ in range(count)]
    try:
        for s in sockets:
            s.bind((HOST, 0))
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def _serve() -> None:
    """The cluster's process: import TensorFlow, wait for one job, run it, exit."""
    import linecache
    import traceback

    import tensorflow as tf

    line = sys.stdin.readline()
    if not line:          # the notebook went away before asking for anything
        os._exit(0)
    job = json.loads(line)
    try:
        ports = iter(_free_ports(2 + job["workers"] + job["parameter_servers"]))
        spec = {"chief": [f"{HOST}:{next(ports)}"],
                "worker": [f"{HOST}:{next(ports)}" for _ in range(job["workers"])],
                "ps": [f"{HOST}:{next(ports)}" for _ in range(job["parameter_servers"])]}
        cluster = tf.train.ClusterSpec(spec)
        servers = [tf.distribute.Server(cluster, job_name=task_type, task_index=index,
                                        protocol="grpc", start=True)
                   for task_type in ("worker", "ps") for index in range(len(spec[task_type]))]
        resolver = tf.distribute.cluster_resolver.SimpleClusterResolver(
            cluster, task_type="chief", task_id=0, rpc_layer="grpc")
        # Keep the source where `inspect` finds it: AutoGraph reads a function's source.
        filename = f"<cluster: {job['name']}>"
        linecache.cache[filename] = (len(job["source"]), None,
                                     job["source"].splitlines(keepends=True), filename)
        namespace = {"__name__": "__cluster__"}
        exec(compile(job["source"], filename, "exec"), namespace)
        with np.load(job["inputs"], allow_pickle=False) as saved:
            arrays = {key: saved[key] for key in saved.files}
        results = namespace[job["name"]](resolver, **arrays)
        if not isinstance(results, dict):
            raise TypeError(f"{job['name']} must return a dict of arrays, "
                            f"got {type(results).__name__}")
        np.savez(job["outputs"], **{key: _plain_array(value, f"result {key!r}")
                                    for key, value in results.items()})
        del servers       # kept referenced until here, while the function ran
        print(json.dumps(spec), flush=True)
        code = 0
    except BaseException:  # noqa: BLE001 - everything goes back to the notebook
        traceback.print_exc()
        code = 1
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)        # the only way to stop the servers: end the process


if __name__ == "__main__":
    _serve()
