"""Start Apertium's APY server listening on loopback only.

apertium-apy has no option for the address it listens on and binds every interface;
this starts it with its own arguments (`-p PORT MODES_DIR`) and binds 127.0.0.1 instead.
Run it with the Python that has Debian's apertium_apy module (/usr/bin/python3)."""

import sys

import tornado.tcpserver
from apertium_apy import apy

_bind = tornado.tcpserver.TCPServer.bind


def _loopback(self, port, address=None, *args, **kwargs):
    return _bind(self, port, "127.0.0.1", *args, **kwargs)


tornado.tcpserver.TCPServer.bind = _loopback
sys.argv[0] = "apertium-apy"
sys.exit(apy.main())
