"""Text normalisation for forum, chat and tweet text, shared by training and scoring.

Train files hold literal escapes (``\\u2019``) and HTML entities (``&amp;``) while live
posts hold real Unicode; URLs, mentions and code blocks carry no sentiment but many tokens.
Both sides go through ``normalize`` so the model sees one surface form.
"""

from __future__ import annotations

import html
import re

_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")
_URL = re.compile(r"https?://\S+|www\.\S+")
_MENTION = re.compile(r"(?<![\w@])@[A-Za-z0-9_][\w.-]*")
_FENCED = re.compile(r"```.*?```", re.S)
_INLINE_CODE = re.compile(r"`[^`\n]{1,200}`")
_SPACES = re.compile(r"\s+")


def normalize(text: str) -> str:
    """Decode escapes and entities; URLs -> ``http``, mentions -> ``@user``, code -> ``[code]``."""
    text = _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
    text = html.unescape(html.unescape(text))  # some sources double-escape (&amp;amp;)
    text = _FENCED.sub(" [code] ", text)
    text = _INLINE_CODE.sub(" [code] ", text)
    text = _URL.sub("http", text)
    text = _MENTION.sub("@user", text)
    return _SPACES.sub(" ", text).strip()
