"""The mail sink of the test run: a real SMTP server on loopback (aiosmtpd)."""

from __future__ import annotations

import re
import socket


class SMTPCollector:
    """A real SMTP server on loopback that keeps what it receives."""

    def __init__(self):
        from aiosmtpd.controller import Controller

        self.messages: list = []
        collector = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                import email

                collector.messages.append(email.message_from_bytes(envelope.content))
                return "250 OK"

        with socket.socket() as probe:  # a free loopback port
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)

    def start(self):
        self.controller.start()

    def stop(self):
        self.controller.stop()

    def to(self, address: str) -> list:
        return [m for m in self.messages if m["To"] == address]

    def link_in(self, address: str, pattern: str = r"https?://\S+") -> str:
        """The first link of the last mail to `address`."""
        mails = self.to(address)
        assert mails, f"no mail to {address}; got {[m['To'] for m in self.messages]}"
        body = mails[-1].get_payload(decode=True).decode()
        match = re.search(pattern, body)
        assert match, body
        return match.group(0)
