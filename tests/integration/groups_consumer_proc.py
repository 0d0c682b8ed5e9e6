"""One confluent-kafka (librdkafka) group consumer as its own process, driven by
the group tests: it subscribes, commits every record synchronously before
taking the next, and reports on stdout, one JSON object a line:

    {"event": "assign", "partitions": [..], "member": ...}   (on_assign)
    {"event": "revoke", "partitions": [..]}                   (on_revoke)
    {"event": "record", "partition": p, "offset": o, "value": "..."}  (committed)
    {"event": "commit_failed", "partition": p, "offset": o, "error": "..."}
    {"event": "error", "error": "..."}

usage: groups_consumer_proc.py <bootstrap> <group> <topic> '<extra config JSON>'
SIGTERM closes the consumer (leaving the group, unless it is static)."""

import json
import signal
import sys

from confluent_kafka import Consumer, KafkaException

running = True


def stop(*_):
    global running
    running = False


def say(**event):
    sys.stdout.write(json.dumps(event) + "\n")
    sys.stdout.flush()


def main():
    bootstrap, group, topic, extra = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
    signal.signal(signal.SIGTERM, stop)
    config = {"bootstrap.servers": bootstrap, "group.id": group, "enable.auto.commit": False,
              "auto.offset.reset": "earliest", "session.timeout.ms": 6000,
              "heartbeat.interval.ms": 500, "topic.metadata.refresh.interval.ms": 2000}
    config.update(extra)
    consumer = Consumer(config)

    def on_assign(c, partitions):
        say(event="assign", partitions=sorted(p.partition for p in partitions))

    def on_revoke(c, partitions):
        say(event="revoke", partitions=sorted(p.partition for p in partitions))

    consumer.subscribe([topic], on_assign=on_assign, on_revoke=on_revoke)
    while running:
        msg = consumer.poll(0.2)
        if msg is None:
            continue
        if msg.error():
            say(event="error", error=str(msg.error()))
            continue
        try:
            result = consumer.commit(message=msg, asynchronous=False)
            failed = [tp for tp in (result or []) if tp.error]
            if failed:
                raise KafkaException(failed[0].error)
        except KafkaException as e:
            say(event="commit_failed", partition=msg.partition(), offset=msg.offset(), error=str(e))
            continue
        say(event="record", partition=msg.partition(), offset=msg.offset(),
            value=msg.value().decode())
    consumer.close()
    say(event="closed")


if __name__ == "__main__":
    main()
