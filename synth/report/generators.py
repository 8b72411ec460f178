"""Built-in :class:`~synth.report.synthesis.Generator` adapters, selected by name.

``openai``: any OpenAI-compatible chat-completions endpoint (OpenAI, vLLM, llama.cpp's
server, Ollama). It is asked for sentences drawn only from a theme's verified claims; each
sentence it writes is then checked like any claim and kept only when supported, so a
generator can add wording, never an unchecked fact."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from typing import Any

from synth.core.errors import BadInput, SourceUnavailable
from synth.core.settings import ReportSettings
from synth.report.synthesis import Generator

MAX_SENTENCES = 3
_BULLET = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s*")
_PROMPT = (
    "Research question: {question}\nTheme: {theme}\nVerified findings:\n{claims}\n\n"
    "Write at most {n} sentences that summarise these findings for the question, one per "
    "line. Use only facts stated in the findings; add nothing else."
)


class OpenAIChatGenerator(Generator):
    """Sentences from an OpenAI-compatible ``/chat/completions`` endpoint.

    Args:
        url: The API base, e.g. ``https://api.openai.com/v1`` or ``http://localhost:8080/v1``.
        model: The model name the endpoint expects.
        api_key: Sent as a bearer token when given.
        timeout: Seconds to wait for an answer.
    """

    def __init__(self, url: str, model: str, api_key: str | None = None,
                 timeout: float = 60.0) -> None:  # fmt: skip
        self.url = url.rstrip("/")
        self.model = model
        self.name = f"openai:{model}"
        self._api_key = api_key
        self._timeout = timeout

    def write(self, question: str, theme: str, claims: Sequence[str]) -> list[str]:
        """Ask the endpoint for up to three sentences on ``theme`` drawn from ``claims``.

        Args:
            question: The synthesis's research question.
            theme: The theme's title.
            claims: The theme's verified sentences.

        Returns:
            The sentences it wrote, one per line of its answer, bullets stripped.

        Raises:
            SourceUnavailable: the endpoint cannot be reached or its answer is not a chat
                completion.
        """
        import requests

        prompt = _PROMPT.format(question=question, theme=theme, n=MAX_SENTENCES,
                                claims="\n".join(f"- {c}" for c in claims))  # fmt: skip
        headers = {"Authorization": f"Bearer {self._api_key}"} if self._api_key else {}
        body = {"model": self.model, "temperature": 0,
                "messages": [{"role": "user", "content": prompt}]}  # fmt: skip
        where = f"{self.url}/chat/completions"
        try:
            answer = requests.post(where, json=body, headers=headers, timeout=self._timeout)
            answer.raise_for_status()
            text = _content(answer.json())
        except ValueError as exc:  # requests' JSON errors included
            raise SourceUnavailable(f"generator {where}: not a chat completion ({exc})",
                                    _HINT) from exc  # fmt: skip
        except requests.RequestException as exc:
            raise SourceUnavailable(f"generator {where}: {exc}", _HINT) from exc
        lines = (_BULLET.sub("", line).strip() for line in text.splitlines())
        return [line for line in lines if line][:MAX_SENTENCES]


_HINT = "check SYNTH_REPORT_LLM_URL and that the server is running, or drop --generator"


def _content(payload: Any) -> str:
    """The text of the first choice of a chat-completion answer."""
    try:
        content = payload["choices"][0]["message"]["content"]
    except (KeyError, IndexError, TypeError) as exc:
        raise ValueError("no choices[0].message.content") from exc
    if not isinstance(content, str):
        raise ValueError("the message content is not text")
    return content


GENERATORS = ("openai",)


def generator_by_name(name: str, settings: ReportSettings) -> Generator:
    """The built-in generator called ``name``, configured from the report settings.

    Args:
        name: One of :data:`GENERATORS`.
        settings: ``llm_url``, ``llm_model`` and ``llm_key_env`` (the environment variable
            holding the API key).

    Returns:
        The generator.

    Raises:
        BadInput: ``name`` is not a built-in generator, or the endpoint is not configured.
    """
    if name != "openai":
        raise BadInput(f"unknown generator {name!r}", f"use one of: {', '.join(GENERATORS)}")
    if not settings.llm_url or not settings.llm_model:
        raise BadInput("the openai generator needs an endpoint and a model",
                       "set SYNTH_REPORT_LLM_URL and SYNTH_REPORT_LLM_MODEL")  # fmt: skip
    return OpenAIChatGenerator(settings.llm_url, settings.llm_model,
                               os.environ.get(settings.llm_key_env) or None)  # fmt: skip
