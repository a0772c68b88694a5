"""A small TensorFlow cluster on this machine, for the sharding section of chapter 7.

``LocalCluster(workers=1, parameter_servers=2)`` starts one Python process, which imports
TensorFlow and waits.  ``cluster.run(function, **arrays)`` then has that process start one
gRPC server per worker and parameter server, each addressed as 127.0.0.1 and a free port,
and call ``function(cluster_resolver, **arrays)`` there as the cluster's chief (the
coordinator), whose own endpoint opens when the function connects to the cluster (creating
a ``ParameterServerStrategy`` does).  This is how TensorFlow's own tests run a cluster (every
server in one process); on a real cluster each server runs on its own machine.  When the
function returns, the process exits: ``tf.distribute.Server`` has no method to stop it
(TensorFlow's ``server_lib.py`` notes that clean shutdown is not implemented), so the notebook
itself never starts one, and no port stays open.

A TensorFlow server listens on every network interface, not only on 127.0.0.1, and by
default has no authentication (TensorFlow's SECURITY.md); these servers live only while
``run`` runs.  ``run`` measures it: just before the process exits, it tries every port on
127.0.0.1 and on this machine's own network address (a connection to one's own address
stays inside the machine) and reports which ones accepted.

The function travels as its source code, so it must be a plain ``def`` that imports what
it uses and returns a dict of NumPy arrays (or of what ``numpy.asarray`` turns into one).
It may import this module: ``describe_shards`` reports, from inside the cluster, where a
sharded table's shards live and what a compiled step sends between the tasks.
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

__all__ = ["LocalCluster", "ClusterRun", "describe_shards", "listening"]

HOST = "127.0.0.1"
# An address reserved for documentation (RFC 5737): a UDP socket "connected" to it sends
# nothing, but tells which of this machine's own addresses the system would send from.
_NOWHERE = ("192.0.2.1", 9)


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
                 printed: str, open_while_running: dict[str, list[int]] | None = None):
        self.results = results
        self.cluster_spec = cluster_spec
        self.printed = printed
        #: The ports that accepted a connection just before the servers stopped, on
        #: "127.0.0.1" and on "network address" (this machine's own non-loopback address;
        #: that key is missing when the machine has none).
        self.open_while_running = open_while_running or {}

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
            *printed_lines, last_line = printed.rstrip("\n").split("\n")
            report = json.loads(last_line)
            with np.load(outputs, allow_pickle=False) as saved:
                results = {key: saved[key] for key in saved.files}
        run = ClusterRun(results, report["cluster_spec"], "\n".join(printed_lines),
                         report["open_while_running"])
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


def _network_address() -> str | None:
    """This machine's own non-loopback IPv4 address, or None if it has none."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(_NOWHERE)          # UDP: chooses a route, sends no packet
            address = probe.getsockname()[0]
        except OSError:                      # no route at all: no network
            return None
    return None if address.startswith("127.") or address == "0.0.0.0" else address


def describe_shards(tables, step, args) -> dict[str, np.ndarray]:
    """What a compiled ``step`` does with the sharded ``tables``; call it on the cluster.

    ``tables`` are ``ShardedVariable``s, ``step`` a ``tf.function`` that trains them, and
    ``args`` one batch of its arguments.  Returns NumPy arrays: ``devices`` and
    ``shard_rows`` of every shard; ``ops_on_shards``, the types of the step's ops that take a
    shard as input; and, from one more call of ``step`` by the coordinator with TensorFlow's
    run metadata on (a call that changes the tables, so make it after reading them),
    ``placed``, every (op type, task) where an op that takes a shard ran, and ``sent``, every
    (sending task, receiving task, type of the op that made the tensor, tensor's name).
    """
    import tensorflow as tf
    # Run metadata has no public TensorFlow 2 API; the eager context records it.
    from tensorflow.python.eager import context

    shards = [shard for table in tables for shard in table.variables]
    graph = step.get_concrete_function(*args).graph
    handles = [t for t in graph.inputs if t.dtype == tf.resource]     # the shards, in the step
    taking_a_shard = sorted({op.type for op in graph.get_operations()
                             if any(i is h for i in op.inputs for h in handles)})

    def task(device):
        return device.split("/device:")[0]

    eager = context.context()
    eager.enable_run_metadata()
    try:
        step(*args)
        metadata = eager.export_run_metadata()
    finally:
        eager.disable_run_metadata()
    placed, sent = set(), set()
    for function_graph in metadata.function_graphs:
        for partition in function_graph.partition_graphs:
            nodes = {node.name: node for node in partition.node}
            for node in partition.node:
                if node.op in taking_a_shard:
                    placed.add((node.op, task(node.device)))
                if node.op == "_Send":
                    source = nodes[node.input[0].split(":")[0].lstrip("^")]
                    sent.add((task(node.attr["send_device"].s.decode()),
                              task(node.attr["recv_device"].s.decode()), source.op,
                              node.attr["tensor_name"].s.decode()))
    return {"devices": np.array([shard.device for shard in shards]),
            "shard_rows": np.array([shard.shape[0] for shard in shards]),
            "ops_on_shards": np.array(taking_a_shard),
            "placed": np.array(sorted(placed)), "sent": np.array(sorted(sent))}


def _open_ports(ports: list[int]) -> dict[str, list[int]]:
    """Which ``ports`` accept a connection on 127.0.0.1 and on the machine's own address."""
    found = {HOST: [port for port in ports if listening(port)]}
    address = _network_address()
    if address is not None:
        found["network address"] = [port for port in ports if listening(port, address)]
    return found


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
        # While the servers still run: where do they accept connections?
        open_ports = _open_ports([int(address.rsplit(":", 1)[1])
                                  for addresses in spec.values() for address in addresses])
        del servers       # kept referenced until here, while the function ran
        print(json.dumps({"cluster_spec": spec, "open_while_running": open_ports}), flush=True)
        code = 0
    except BaseException:  # noqa: BLE001 - everything goes back to the notebook
        traceback.print_exc()
        code = 1
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)        # the only way to stop the servers: end the process


if __name__ == "__main__":
    _serve()
