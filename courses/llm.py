"""A client for OpenAI-compatible chat-completion endpoints (OpenAI, Azure, Mistral, vLLM, Ollama…).

Standard library only. Errors (timeout, HTTP error, unreadable answer) raise GenerationError with a message
for the learner; the caller does not count them as iterations.
"""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.utils.translation import gettext as _


class GenerationError(Exception):
    pass


@dataclass(frozen=True)
class Completion:
    text: str
    prompt_tokens: int
    completion_tokens: int


def chat_completion(
    *, base_url: str, model: str, api_key: str, prompt: str, timeout_seconds: float
) -> Completion:
    body = json.dumps({"model": model, "messages": [{"role": "user", "content": prompt}]}).encode()
    request = urllib.request.Request(
        base_url.rstrip("/") + "/chat/completions",
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            **({"Authorization": f"Bearer {api_key}"} if api_key else {}),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout_seconds) as response:
            payload = json.loads(response.read())
    except urllib.error.HTTPError as error:
        raise GenerationError(_("the endpoint answered HTTP %(code)s") % {"code": error.code}) from None
    except TimeoutError:
        raise GenerationError(_timed_out(timeout_seconds)) from None
    except urllib.error.URLError as error:
        if isinstance(error.reason, TimeoutError | socket.timeout):
            raise GenerationError(_timed_out(timeout_seconds)) from None
        raise GenerationError(
            _("the endpoint could not be reached (%(reason)s)") % {"reason": error.reason}
        ) from None
    except json.JSONDecodeError:
        raise GenerationError(_("the endpoint's answer is not JSON")) from None
    try:
        text = payload["choices"][0]["message"]["content"] or ""
        usage = payload.get("usage") or {}
        return Completion(
            text=text,
            prompt_tokens=int(usage.get("prompt_tokens") or 0),
            completion_tokens=int(usage.get("completion_tokens") or 0),
        )
    except (KeyError, IndexError, TypeError, ValueError):
        raise GenerationError(_("the endpoint's answer is not a chat completion")) from None


def _timed_out(timeout_seconds: float) -> str:
    return _("the endpoint did not answer within %(seconds)s s") % {"seconds": f"{timeout_seconds:g}"}
