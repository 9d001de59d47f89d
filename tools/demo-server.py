#!/usr/bin/python3
"""tools/demo-server.py DIRECTORY PORT_FILE: the demo sites' HTTP server (make demo).

Serves DIRECTORY on 127.0.0.1, on a port the kernel picks (so that a server
already on 8000, or a second `make demo`, is no obstacle), and writes that
port to PORT_FILE once it listens. Quiet: no line per request.
"""

import functools
import http.server
import os
import sys


class Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


class Server(http.server.ThreadingHTTPServer):
    # The browser opens up to 6 connections per server; Python's default
    # backlog of 5 would make Linux drop a SYN now and then (1 s retransmit).
    request_queue_size = 64
    daemon_threads = True


def main():
    directory, port_file = sys.argv[1], sys.argv[2]
    server = Server(("127.0.0.1", 0), functools.partial(Handler, directory=directory))
    tmp = port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(f"{server.server_address[1]}\n")
    os.rename(tmp, port_file)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
