"""A real HTTP receiver on 127.0.0.1 standing in for a DingTalk or WeCom robot.

The ``receiver`` fixture lives in conftest.py; tests import ``Answer`` from here.
"""
import json
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


@dataclass
class Received:
    path: str
    query: dict[str, str]
    content_type: str
    body: bytes
    headers: dict[str, str]

    @property
    def json(self) -> dict:
        return json.loads(self.body)


@dataclass
class Answer:
    status: int = 200
    payload: dict | None = None
    delay: float = 0.0
    # Written to the socket as is instead of a proper answer: a broken robot or proxy.
    raw: bytes = b""


class Receiver:
    """Records what arrives and answers with the queued answers, the last one repeated."""

    def __init__(self) -> None:
        self.received: list[Received] = []
        self._answers = [Answer(payload={"errcode": 0, "errmsg": "ok"})]
        self._lock = threading.Lock()
        self.url = ""

    def answer(self, *answers: Answer) -> None:
        self._answers = list(answers)

    def next_answer(self) -> Answer:
        with self._lock:
            return self._answers.pop(0) if len(self._answers) > 1 else self._answers[0]


@contextmanager
def running_receiver():
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            parts = urlsplit(self.path)
            state.received.append(
                Received(
                    path=parts.path,
                    query={k: v[0] for k, v in parse_qs(parts.query).items()},
                    content_type=self.headers["Content-Type"],
                    body=body,
                    headers=dict(self.headers.items()),
                )
            )
            answer = state.next_answer()
            time.sleep(answer.delay)
            if answer.raw:
                self.wfile.write(answer.raw)
                self.close_connection = True
                return
            data = json.dumps(answer.payload or {}).encode()
            try:
                self.send_response(answer.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the sender timed out and hung up, as the timeout test wants

        def log_message(self, format, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_port}/robot/send?access_token=t0ken"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
