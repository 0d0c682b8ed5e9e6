"""Helpers for the group tests: broker options that make rebalances quick, and
confluent-kafka group consumers run as separate processes
(groups_consumer_proc.py) whose reports are collected on a thread."""

import json
import os
import signal
import subprocess
import sys
import threading
import time

import harness as h

HERE = os.path.dirname(os.path.abspath(__file__))
CONSUMER_SCRIPT = os.path.join(HERE, "groups_consumer_proc.py")

# A short first-rebalance delay and a low minimum session timeout, so that
# tests form groups and notice dead members within seconds.
FAST_GROUPS = ["--override", "groups.initial_rebalance_delay_ms=300",
               "--override", "groups.min_session_timeout_ms=1000"]


class ConsumerProc:
    """A group consumer process; `events` are its reports, in order."""

    def __init__(self, broker, group, topic, extra=None, name="consumer"):
        self.name = name
        self.events = []
        self.stderr = []
        self.lock = threading.Lock()
        self.proc = subprocess.Popen(
            [sys.executable, CONSUMER_SCRIPT, broker.address, group, topic, json.dumps(extra or {})],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        h._live_processes.add(self.proc)
        self._threads = [threading.Thread(target=self._read_events, daemon=True),
                         threading.Thread(target=self._read_stderr, daemon=True)]
        for t in self._threads:
            t.start()

    def _read_events(self):
        for line in self.proc.stdout:
            try:
                event = json.loads(line)
            except ValueError:
                continue
            event["at"] = time.monotonic()
            with self.lock:
                self.events.append(event)

    def _read_stderr(self):
        for line in self.proc.stderr:
            with self.lock:
                self.stderr.append(line.decode(errors="replace").rstrip())

    def of(self, kind):
        with self.lock:
            return [e for e in self.events if e["event"] == kind]

    def assignment(self):
        """What it owns now: assignments add, revocations remove (the eager
        protocol revokes everything first; the cooperative one only what moves)."""
        owned = set()
        with self.lock:
            for e in self.events:
                if e["event"] == "assign":
                    owned |= set(e["partitions"])
                elif e["event"] == "revoke":
                    owned -= set(e["partitions"])
        return owned

    def committed_values(self):
        return [e["value"] for e in self.of("record")]

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)
        self._finish()

    def _finish(self):
        h._live_processes.discard(self.proc)
        for t in self._threads:
            t.join(5)
        self.proc.stdout.close()
        self.proc.stderr.close()

    def stop(self, timeout=20):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        if not self.proc.stdout.closed:
            self._finish()

    def describe(self):
        with self.lock:
            return "%s (exit %r): events %r\nstderr tail: %s" % (
                self.name, self.proc.poll(), [{k: v for k, v in e.items() if k != "at"}
                                              for e in self.events[-30:]],
                "\n".join(self.stderr[-15:]))


def produce(broker, topic, values_by_partition):
    """Produces values ({partition: [value, ...]}) with acks=all and waits for all."""
    from confluent_kafka import Producer
    producer = Producer({"bootstrap.servers": broker.address, "acks": "all", "linger.ms": 2})
    errors = []
    for partition, values in values_by_partition.items():
        for v in values:
            producer.produce(topic, value=v.encode(), partition=partition,
                             on_delivery=lambda err, msg: errors.append(err) if err else None)
    if producer.flush(30) != 0:
        raise AssertionError("producer could not deliver everything in 30s")
    if errors:
        raise AssertionError("produce errors: %r" % errors[:5])


def create_topic(broker, topic, partitions):
    from confluent_kafka.admin import AdminClient, NewTopic
    admin = AdminClient({"bootstrap.servers": broker.address})
    admin.create_topics([NewTopic(topic, partitions, 1)], operation_timeout=30)[topic].result(timeout=30)
    with broker.connect() as conn:
        conn.wait_for_topic(topic, partitions)
