"""A loopback listener that records every connection, for tests that nothing reaches the network."""

from __future__ import annotations

import socket
import threading


class Listener:
    """A TCP server on 127.0.0.1 that accepts, records and closes every connection."""

    def __init__(self) -> None:
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.port: int = self.socket.getsockname()[1]
        self.connections: list[tuple[str, int]] = []
        self.arrived = threading.Condition()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                connection, peer = self.socket.accept()
            except OSError:  # closed: the test is over
                return
            with self.arrived:
                self.connections.append(peer)
                self.arrived.notify_all()
            connection.close()

    def wait_for(self, count: int) -> bool:
        """Whether `count` connections have arrived (waiting for the accepting thread)."""
        with self.arrived:
            return self.arrived.wait_for(lambda: len(self.connections) >= count, timeout=30)

    def close(self) -> None:
        self.socket.shutdown(socket.SHUT_RDWR)  # wakes the thread blocked in accept()
        self.socket.close()
        self.thread.join()
