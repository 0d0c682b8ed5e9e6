"""Helpers shared by the tests of the command-line tools (tools/cli): where a
tool is (<build dir>/bin, from harness.BUILD_DIR), running one to completion,
checking its exit code, and the confluent_kafka side (creating topics,
producing, reading back) the tests check the tools against."""

import os
import subprocess
import time

import groups_clients
import harness


def tool(name):
    return os.path.join(harness.BUILD_DIR, "bin", name)


def run_tool(name, *args, stdin=None, timeout=60):
    """Runs <build dir>/bin/<name> <args> to completion; returns (exit code,
    stdout, stderr) as text. `stdin` (str or bytes) is fed to it; without it
    the tool reads /dev/null."""
    args = [str(a) for a in args]
    io = {"stdin": subprocess.DEVNULL} if stdin is None else {
        "input": stdin.encode() if isinstance(stdin, str) else stdin}
    proc = subprocess.run([tool(name)] + args, capture_output=True, timeout=timeout, **io)
    print("  $ %s %s -> %d" % (name, " ".join(args), proc.returncode))
    return proc.returncode, proc.stdout.decode(errors="replace"), proc.stderr.decode(errors="replace")


def check_tool(test, name, *args, expect_code=0, stdin=None, timeout=60):
    """run_tool, failing `test` unless the exit code is `expect_code`; returns (stdout, stderr)."""
    code, out, err = run_tool(name, *args, stdin=stdin, timeout=timeout)
    test.assertEqual(code, expect_code, "%s %s: exit code %d\nstdout:\n%s\nstderr:\n%s"
                     % (name, " ".join(str(a) for a in args), code, out, err))
    return out, err


def create_topic(broker, name, partitions=1):
    """Creates a topic with confluent_kafka's AdminClient and waits until the broker lists it."""
    groups_clients.create_topic(broker, name, partitions)


def confluent_produce(broker, topic, records, **config):
    """Produces `records` (keyword dicts for Producer.produce) with confluent_kafka; waits for all."""
    from confluent_kafka import Producer
    producer = Producer(dict({"bootstrap.servers": broker.address}, **config))
    for i, record in enumerate(records):
        producer.produce(topic, **record)
        if i % 5000 == 4999:
            producer.poll(0)
    if producer.flush(60) != 0:
        raise AssertionError("confluent_kafka could not deliver everything to %s" % topic)


def confluent_consume(broker, topic, count, partitions=(0,), timeout=30):
    """The first `count` records of `partitions` read with confluent_kafka (from offset 0)."""
    from confluent_kafka import Consumer, TopicPartition
    consumer = Consumer({"bootstrap.servers": broker.address, "group.id": "unused", "enable.auto.commit": False})
    consumer.assign([TopicPartition(topic, p, 0) for p in partitions])
    records = []
    deadline = time.monotonic() + timeout
    try:
        while len(records) < count and time.monotonic() < deadline:
            msg = consumer.poll(0.5)
            if msg is None:
                continue
            if msg.error():
                raise AssertionError("reading %s: %s" % (topic, msg.error()))
            records.append(msg)
    finally:
        consumer.close()
    if len(records) != count:
        raise AssertionError("read back %d records from %s, expected %d" % (len(records), topic, count))
    return records
