"""A small SMTP server on loopback for the worker tests: it speaks just enough SMTP for
Django's smtp backend (no TLS, no auth), keeps every message it accepts, and can be told to
stall a conversation, so a test can kill a worker in the middle of a send."""

from __future__ import annotations

import socketserver
import threading
import time
from email import message_from_bytes
from pathlib import Path


class _Handler(socketserver.StreamRequestHandler):
    timeout = 120

    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")
        self.wfile.flush()

    def handle(self) -> None:
        server: SMTPServer = self.server.owner  # type: ignore[attr-defined]
        server.connections += 1
        server.connected.set()
        if server.stall.is_set():
            server.stalled.set()
            server.release.wait()  # the worker waits for the greeting, mid-send
            return
        self.reply("220 test ESMTP")
        recipients: list[str] = []
        while line := self.rfile.readline():
            command = line.decode(errors="replace").strip()
            verb = command.split(" ", 1)[0].upper()
            if verb in ("EHLO", "HELO"):
                self.reply("250 test")
            elif verb == "MAIL":
                recipients = []
                self.reply("250 OK")
            elif verb == "RCPT":
                recipients.append(command.split(":", 1)[1].strip().strip("<>"))
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 go ahead")
                data = bytearray()
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data += chunk[1:] if chunk.startswith(b"..") else chunk
                server.messages.append((recipients, message_from_bytes(bytes(data))))
                self.reply("250 OK queued")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("250 OK")


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


class SMTPServer:
    """``messages``: (recipients, email.message.Message) accepted.  ``stall.set()``: the next
    connections hang before the greeting (``stalled`` is set when one does) until
    ``release.set()``."""

    def __init__(self):
        self.messages: list[tuple[list[str], object]] = []
        self.connections = 0
        self.connected = threading.Event()
        self.stall = threading.Event()
        self.stalled = threading.Event()
        self.release = threading.Event()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.owner = self
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def env(self) -> dict[str, str]:
        """What a process started with production settings needs to send here."""
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(self.port),
            "EMAIL_USE_TLS": "false",
        }

    def wait_for_stall(self, timeout: float = 60) -> None:
        assert self.stalled.wait(timeout), "no worker reached the mail server"

    def wait_for_messages(self, count: int, timeout: float = 60, log: Path | None = None) -> None:
        """Until ``count`` messages came (else fail, with the sender's ``log`` if given)."""
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.1)
        if len(self.messages) < count:
            tail = log.read_text()[-3000:] if log else ""
            raise AssertionError(f"{len(self.messages)} messages, not {count}\n{tail}")

    def stop(self) -> None:
        self.release.set()
        self._server.shutdown()
        self._server.server_close()
