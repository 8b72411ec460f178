"""The built-in generator against a local OpenAI-compatible server the test starts."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import pytest

from synth.core.errors import BadInput, SourceUnavailable
from synth.core.settings import ReportSettings
from synth.report.generators import OpenAIChatGenerator, generator_by_name


class Server:
    """Answers POST /v1/chat/completions with ``reply`` (a dict, or raw bytes), status
    ``status``; keeps the requests it got."""

    def __init__(self) -> None:
        self.reply: Any = {}
        self.status = 200
        self.requests: list[tuple[str, dict[str, Any], str | None]] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                owner.requests.append((self.path, body, self.headers.get("Authorization")))
                data = owner.reply if isinstance(owner.reply, bytes) else json.dumps(
                    owner.reply).encode()  # fmt: skip
                self.send_response(owner.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                """Quiet."""

        self.httpd = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}/v1"


@pytest.fixture
def server() -> Iterator[Server]:
    s = Server()
    thread = threading.Thread(target=s.httpd.serve_forever, daemon=True)
    thread.start()
    yield s
    s.httpd.shutdown()
    s.httpd.server_close()


def _answer(text: str) -> dict[str, Any]:
    return {"choices": [{"message": {"role": "assistant", "content": text}}]}


def test_sentences_come_one_per_line_without_bullets(server: Server) -> None:
    server.reply = _answer("- First point.\n2. Second point.\n\n* Third.\nFourth.")
    generator = OpenAIChatGenerator(server.url, "local-model", api_key="k")
    sentences = generator.write("Q?", "Theme", ["A verified claim."])
    assert sentences == ["First point.", "Second point.", "Third."]
    path, body, auth = server.requests[0]
    assert path == "/v1/chat/completions" and body["model"] == "local-model"
    assert "A verified claim." in body["messages"][0]["content"] and auth == "Bearer k"


@pytest.mark.parametrize(
    ("status", "reply", "message"),
    [
        (500, {"error": "boom"}, "500"),
        (200, b"not json", "not a chat completion"),
        (200, {"choices": []}, "not a chat completion"),
    ],
)
def test_a_bad_answer_is_one_clear_error(
    server: Server, status: int, reply: Any, message: str
) -> None:
    server.status, server.reply = status, reply
    with pytest.raises(SourceUnavailable, match=message):
        OpenAIChatGenerator(server.url, "m").write("Q?", "T", ["c"])


def test_an_unreachable_endpoint_is_one_clear_error() -> None:
    with pytest.raises(SourceUnavailable, match=r"generator http://127\.0\.0\.1:9/v1"):
        OpenAIChatGenerator("http://127.0.0.1:9/v1", "m", timeout=2).write("Q?", "T", ["c"])


def test_generators_by_name(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(BadInput, match="unknown generator"):
        generator_by_name("gpt", ReportSettings())
    with pytest.raises(BadInput, match="SYNTH_REPORT_LLM_URL"):
        generator_by_name("openai", ReportSettings())
    monkeypatch.setenv("MY_KEY", "secret")
    settings = ReportSettings(llm_url="http://x/v1", llm_model="m", llm_key_env="MY_KEY")
    generator = generator_by_name("openai", settings)
    assert isinstance(generator, OpenAIChatGenerator) and generator.name == "openai:m"


def test_a_session_uses_the_named_generator_and_keeps_only_what_is_supported(
    server: Server, tmp_path: Path
) -> None:
    from fakes import HashingEmbedder, PhraseScorer

    import synth

    server.reply = _answer("Intermediate training helps transfer a lot.\nMoon is cheese.")
    (tmp_path / "p.md").write_text(
        "# Transfer\n\nIntermediate training helps transfer a lot.\n", encoding="utf-8"
    )
    rules = {"helps transfer|helps transfer": (0.9, 0.05, 0.05)}
    with synth.open(tmp_path / "home", scorer=PhraseScorer(rules), embedder=HashingEmbedder(),
                    report={"generator": "openai", "llm_url": server.url,
                            "llm_model": "m"}) as session:  # fmt: skip
        session.add([tmp_path / "p.md"])
        report = session.synthesize("Does intermediate training help?", ["p.md"])
    assert server.requests  # the generator was asked
    assert report.synthesis is not None
    written = [s.text for t in report.synthesis.themes for s in t.sentences]
    assert "Moon is cheese." not in written
