#!/usr/bin/env python3
"""A webhook receiver for the tests: records each request (method, path, headers, body) as one JSON line in LOG
and answers 200 "ok". A path ending in /fail-N answers 500 to the first N requests on it.
Usage: notify-receiver.py PORT LOG"""
import json, sys, threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

port, log = int(sys.argv[1]), sys.argv[2]
lock = threading.Lock()
counts = {}

class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get('Content-Length') or 0)).decode('utf-8')
        with lock:
            with open(log, 'a', encoding='utf-8') as f:
                f.write(json.dumps({'method': 'POST', 'path': self.path, 'headers': dict(self.headers), 'body': body}) + '\n')
            counts[self.path] = counts.get(self.path, 0) + 1
            n = counts[self.path]
        fail = int(self.path.rsplit('/fail-', 1)[1]) if '/fail-' in self.path else 0
        status, text = (500, b'boom') if n <= fail else (200, b'ok')
        self.send_response(status)
        self.send_header('Content-Length', str(len(text)))
        self.end_headers()
        self.wfile.write(text)
    def log_message(self, *a): pass

ThreadingHTTPServer(('127.0.0.1', port), Handler).serve_forever()
