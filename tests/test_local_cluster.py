"""Unit tests of book/local_cluster.py: a real local cluster, and clear errors for bad input."""

from __future__ import annotations

import socket

import numpy as np
import pytest

from local_cluster import LocalCluster, _network_address, listening


def test_listening_tells_an_open_port_from_a_closed_one():
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        assert listening(port)
    assert not listening(port)


@pytest.mark.parametrize("port", [0, 70_000, "8080", 80.0, True, None])
def test_listening_rejects_what_is_not_a_port(port):
    with pytest.raises(ValueError, match="port must be an integer"):
        listening(port)


@pytest.mark.parametrize("sizes", [{"workers": 0}, {"parameter_servers": -1},
                                   {"workers": 1.5}, {"parameter_servers": True}])
def test_a_cluster_needs_positive_whole_numbers_of_tasks(sizes):
    with pytest.raises(ValueError, match="must be a positive integer"):
        LocalCluster(**sizes)


def shard_and_update(cluster_resolver, initial, rows):
    """Runs on the cluster: a two-shard table on the parameter servers, one scatter on it."""
    import tensorflow as tf
    from local_cluster import describe_shards

    strategy = tf.distribute.experimental.ParameterServerStrategy(
        cluster_resolver,
        variable_partitioner=tf.distribute.experimental.partitioners.FixedShardsPartitioner(2))
    coordinator = tf.distribute.experimental.coordinator.ClusterCoordinator(strategy)
    with strategy.scope():
        table = tf.Variable(initial)

    @tf.function
    def step(rows):
        table.scatter_add(tf.IndexedSlices(tf.ones((tf.size(rows), initial.shape[1])), rows))
        return tf.reduce_sum(tf.nn.embedding_lookup(table, rows))

    total = coordinator.schedule(step, args=(tf.constant(rows),))
    coordinator.join()
    print("stepped")
    return {"devices": [shard.device for shard in table.variables], "total": total.fetch(),
            "table": tf.concat([shard.read_value() for shard in table.variables], axis=0),
            **{f"described {key}": value
               for key, value in describe_shards([table], step, (tf.constant(rows),)).items()}}


def test_run_shards_a_table_on_the_parameter_servers_and_leaves_no_port_open():
    initial = np.arange(24, dtype=np.float32).reshape(6, 4)
    rows = np.array([0, 5, 5])
    with LocalCluster(workers=1, parameter_servers=2) as cluster:
        run = cluster.run(shard_and_update, initial=initial, rows=rows)
        with pytest.raises(RuntimeError, match="has run already"):
            cluster.run(shard_and_update, initial=initial, rows=rows)
    assert set(run.cluster_spec) == {"chief", "worker", "ps"}
    assert len(run.cluster_spec["worker"]) == 1 and len(run.cluster_spec["ps"]) == 2
    assert all(address.startswith("127.0.0.1:") for address in sum(run.cluster_spec.values(), []))
    assert [str(d).split("/device:")[0] for d in run.results["devices"]] == [
        "/job:ps/replica:0/task:0", "/job:ps/replica:0/task:1"]
    expected = initial.copy()
    np.add.at(expected, rows, 1.0)
    assert np.array_equal(run.results["table"], expected)
    assert run.results["total"] == expected[rows].sum()
    assert run.printed == "stepped"
    assert len(set(run.ports)) == 4 and not any(listening(port) for port in run.ports)
    # While it ran, every server (the chief's too) accepted connections on 127.0.0.1 and, on
    # a machine with a network address, on that address as well.
    assert sorted(run.open_while_running["127.0.0.1"]) == sorted(run.ports)
    if _network_address() is None:
        assert "network address" not in run.open_while_running
    else:
        assert sorted(run.open_while_running["network address"]) == sorted(run.ports)
    # describe_shards: the shards, the ops that take them, where those ran, what travelled.
    assert list(run.results["described devices"]) == list(run.results["devices"])
    assert list(run.results["described shard_rows"]) == [3, 3]
    assert list(run.results["described ops_on_shards"]) == ["ResourceGather",
                                                           "ResourceScatterAdd"]
    placed = sorted(map(tuple, run.results["described placed"]))
    assert placed == [(op, f"/job:ps/replica:0/task:{task}")
                      for op in ["ResourceGather", "ResourceScatterAdd"] for task in (0, 1)]
    sent = [tuple(row) for row in run.results["described sent"]]
    from_ps = {made_by for sender, _, made_by, _ in sent if sender.startswith("/job:ps")}
    assert "ResourceGather" in from_ps and "ReadVariableOp" not in from_ps
    assert all(receiver.startswith("/job:chief") for sender, receiver, _, _ in sent
               if sender.startswith("/job:ps"))


def returns_a_list(cluster_resolver):
    return [1, 2]


def test_what_cannot_travel_to_the_cluster_is_refused_before_it_starts():
    def enclosed(cluster_resolver):
        return {"x": rows}

    rows = np.arange(3)
    with LocalCluster() as cluster:
        with pytest.raises(ValueError, match="not a lambda"):
            cluster.run(lambda cluster_resolver: {})
        with pytest.raises(ValueError, match="enclosing function"):
            cluster.run(enclosed)
        with pytest.raises(TypeError, match="defined with def"):
            cluster.run(len)
        with pytest.raises(ValueError, match="cannot be made an array"):
            cluster.run(returns_a_list, ragged=[[1], [2, 3]])
        with pytest.raises(ValueError, match="numbers, booleans or strings"):
            cluster.run(returns_a_list, thing=object())
        with pytest.raises(ValueError, match="first argument"):
            cluster.run(returns_a_list, cluster_resolver=1)
        with pytest.raises(ValueError, match="timeout must be"):
            cluster.run(returns_a_list, timeout=0)
        # None of these started anything: the cluster can still run once, and a function
        # that fails there is an error that says why, with the cluster's own message.
        with pytest.raises(RuntimeError, match="must return a dict of arrays, got list"):
            cluster.run(returns_a_list)


def test_a_closed_cluster_says_so():
    cluster = LocalCluster()
    cluster.close()
    with pytest.raises(RuntimeError, match="has ended"):
        cluster.run(returns_a_list)
