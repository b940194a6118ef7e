"""The OpenAI-compatible client against a small HTTP server on 127.0.0.1 (a real socket, not a mock)."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from courses import llm


class ChatCompletions(BaseHTTPRequestHandler):
    mode = "ok"
    requests: list[dict] = []

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).requests.append(
            {"path": self.path, "body": body, "auth": self.headers.get("Authorization")}
        )
        if self.mode == "error":
            self.send_response(500)
            self.end_headers()
            self.wfile.write(b"internal error")
            return
        if self.mode == "slow":
            time.sleep(2)
        reply = {
            "id": "chatcmpl-test",
            "object": "chat.completion",
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": "Office closes at 6 pm from 1 March."},
                    "finish_reason": "stop",
                }
            ],
            "usage": {"prompt_tokens": 42, "completion_tokens": 11, "total_tokens": 53},
        }
        if self.mode == "garbage":
            reply = {"unexpected": True}
        data = json.dumps(reply).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def endpoint():
    ChatCompletions.requests = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), ChatCompletions)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def call(server, mode, timeout=5.0):
    ChatCompletions.mode = mode
    return llm.chat_completion(
        base_url=f"http://127.0.0.1:{server.server_port}/v1",
        model="tiny",
        api_key="sk-test",
        prompt="Announce it.",
        timeout_seconds=timeout,
    )


def test_a_completion_returns_text_and_token_usage(endpoint):
    completion = call(endpoint, "ok")

    assert completion == llm.Completion("Office closes at 6 pm from 1 March.", 42, 11)
    sent = ChatCompletions.requests[0]
    assert sent["path"] == "/v1/chat/completions" and sent["auth"] == "Bearer sk-test"
    assert sent["body"] == {"model": "tiny", "messages": [{"role": "user", "content": "Announce it."}]}


@pytest.mark.parametrize(("mode", "message"), [("error", "HTTP 500"), ("garbage", "not a chat completion")])
def test_errors_are_reported_clearly(endpoint, mode, message):
    with pytest.raises(llm.GenerationError, match=message):
        call(endpoint, mode)


def test_a_slow_endpoint_times_out(endpoint):
    with pytest.raises(llm.GenerationError, match=r"did not answer within 0\.5 s"):
        call(endpoint, "slow", timeout=0.5)


def test_an_unreachable_endpoint_is_reported():
    with pytest.raises(llm.GenerationError, match="could not be reached"):
        llm.chat_completion(
            base_url="http://127.0.0.1:9/v1", model="m", api_key="", prompt="x", timeout_seconds=2
        )
