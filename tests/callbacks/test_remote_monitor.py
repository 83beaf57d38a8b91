"""`RemoteMonitor`: POSTs each epoch's logs (form field or JSON) to a local HTTP server."""

import http.server
import inspect
import json
import threading
import urllib.parse

import numpy as np
import pytest

import lamina
from lamina.callbacks import RemoteMonitor


@pytest.fixture
def server():
    """A local HTTP server recording (path, headers, body) of every POST."""
    received = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((self.path, dict(self.headers), body))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *arguments):
            pass

    httpd = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", received
    httpd.shutdown()
    httpd.server_close()
    thread.join()


def test_defaults_match_keras(keras):
    ours = inspect.signature(RemoteMonitor.__init__).parameters
    theirs = inspect.signature(keras.callbacks.RemoteMonitor.__init__).parameters
    assert [(p.name, p.default) for p in ours.values()] == [(p.name, p.default) for p in theirs.values()]


def test_posts_json(server):
    root, received = server
    monitor = RemoteMonitor(root=root, path="/events/", send_as_json=True, headers={"X-Run": "7"})
    monitor.on_epoch_end(2, {"loss": np.float32(0.5), "val_loss": 0.25})
    [(path, headers, body)] = received
    assert path == "/events/"
    assert headers["Content-Type"] == "application/json" and headers["X-Run"] == "7"
    assert json.loads(body) == {"epoch": 2, "loss": 0.5, "val_loss": 0.25}


def test_posts_a_form_field(server):
    root, received = server
    RemoteMonitor(root=root, field="payload").on_epoch_end(0, {"loss": 1.5})
    [(path, headers, body)] = received
    assert path == "/publish/epoch/end/"
    assert headers["Content-Type"] == "application/x-www-form-urlencoded"
    form = urllib.parse.parse_qs(body.decode())
    assert json.loads(form["payload"][0]) == {"epoch": 0, "loss": 1.5}


def test_unreachable_server_warns():
    # Port 9 on localhost refuses connections (nothing listens there in a test sandbox).
    monitor = RemoteMonitor(root="http://127.0.0.1:9")
    with pytest.warns(UserWarning, match="Could not reach RemoteMonitor root server at http://127.0.0.1:9"):
        monitor.on_epoch_end(0, {"loss": 1.0})


@pytest.mark.requires_trainable_backend
def test_fit_posts_once_per_epoch(server):
    root, received = server
    model = lamina.Sequential([lamina.Input((2,)), lamina.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    history = model.fit(
        np.ones((4, 2)),
        np.zeros((4, 1)),
        epochs=3,
        verbose=0,
        callbacks=[RemoteMonitor(root=root, send_as_json=True)],
    )
    sent = [json.loads(body) for _, _, body in received]
    assert [item["epoch"] for item in sent] == [0, 1, 2]
    assert [item["loss"] for item in sent] == pytest.approx(history.history["loss"])
