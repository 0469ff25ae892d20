"""Tests for insight.privacy.redact: placeholders, original-text offsets and false-positive guards."""

from __future__ import annotations

import pytest

from insight.privacy.redact import Redaction, Redactor


@pytest.fixture(scope="module")
def patterns_only() -> Redactor:
    """No names: these tests never load spaCy."""
    return Redactor(names=False)


@pytest.fixture(scope="module")
def with_names() -> Redactor:
    return Redactor(names=True)


def assert_offsets_valid(original: str, result: Redaction) -> None:
    """Spans are ordered, disjoint, point into the original and rebuild the redacted text."""
    rebuilt, cursor = [], 0
    for start, end, kind in result.spans:
        assert cursor <= start < end <= len(original)
        rebuilt += [original[cursor:start], f"[{kind}]"]
        cursor = end
    rebuilt.append(original[cursor:])
    assert "".join(rebuilt) == result.text


def redacted_values(original: str, result: Redaction) -> list[tuple[str, str]]:
    return [(original[s:e], kind) for s, e, kind in result.spans]


# --------------------------------------------------------------------------- emails


def test_email_replaced_with_exact_offsets(patterns_only: Redactor) -> None:
    text = "Mail me at jane.doe+forum@example.co.uk, thanks"
    result = patterns_only.redact(text)
    assert result.text == "Mail me at [EMAIL], thanks"
    assert result.spans == ((11, 39, "EMAIL"),)
    assert text[11:39] == "jane.doe+forum@example.co.uk"


def test_ssh_remote_is_not_an_email(patterns_only: Redactor) -> None:
    text = "git remote add origin git@github.com:org/repo.git"
    assert patterns_only.redact(text).text == text


# --------------------------------------------------------------------------- phones


@pytest.mark.parametrize(
    "phone",
    [
        "+44 20 7946 0958",
        "+1 (415) 555-0100",
        "+49 151 12345678",
        "+33 1 23 45 67 89",
        "(415) 555-0100",
        "415-555-0100",
        "415.555.0100",
        "1-800-555-0100",
        "020 7946 0958",
        "01 23 45 67 89",
    ],
)
def test_phone_formats(patterns_only: Redactor, phone: str) -> None:
    text = f"Reach me on {phone} after 6pm."
    result = patterns_only.redact(text)
    assert result.text == "Reach me on [PHONE] after 6pm."
    assert redacted_values(text, result) == [(phone, "PHONE")]


def test_bare_digits_need_a_phone_word(patterns_only: Redactor) -> None:
    assert patterns_only.redact("call me on 07700900123").text == "call me on [PHONE]"
    assert patterns_only.redact("build 07700900123 failed").text == "build 07700900123 failed"


@pytest.mark.parametrize(
    "text",
    [
        "Upgraded to v2.3.1, then Python 3.11.7 and Node 20.11.1",
        "Failed on 2024-03-15 14:22:01 and again on 15/03/2024",
        "Meeting 10:30-11:45, backup window 2024-01-15 to 2024-02-20",
        "Postgres listens on 127.0.0.1:5432 and the app on localhost:8080",
        "Node at 192.168.100.200 and 10.0.0.12 timed out",
        "Error 0x80070005, code E1234-5678, see issue #1234567890",
        "unix time 1700000000, build 20240315.1, commit 5f3a9c1",
        "text me the logs from 2024-03-15",
        "Ports 5432 8080 9090 3000 are open",
    ],
)
def test_not_phones(patterns_only: Redactor, text: str) -> None:
    assert patterns_only.redact(text) == Redaction(text=text, spans=())


# --------------------------------------------------------------------------- URLs


@pytest.mark.parametrize(
    "url",
    [
        "https://api.example.com/v1/items?token=abc123&page=2",
        "https://hooks.example.com/x?sig=9f8e7d&expires=1700000000",
        "https://bucket.s3.amazonaws.com/f.zip?X-Amz-Signature=abcd1234&X-Amz-Expires=60",
        "https://example.com/cb#access_token=eyJhbGci&token_type=bearer",
        "https://example.com/api?client_secret=s3cr3t",
        "postgres://admin:hunter2@db.internal:5432/app",
        "https://user:p4ss@example.com/private",
    ],
)
def test_secret_urls_redacted(patterns_only: Redactor, url: str) -> None:
    text = f"It fails with {url}. Any idea?"
    result = patterns_only.redact(text)
    assert result.text == "It fails with [URL]. Any idea?"
    assert redacted_values(text, result) == [(url, "URL")]


@pytest.mark.parametrize(
    "url",
    [
        "https://github.com/org/repo/issues/12?page=2",
        "https://docs.python.org/3/library/re.html#re.sub",
        "ssh://git@github.com/org/repo",
        "https://example.com/search?q=monkey+keyboard",
    ],
)
def test_plain_urls_kept(patterns_only: Redactor, url: str) -> None:
    text = f"See {url}."
    assert patterns_only.redact(text).text == text


# --------------------------------------------------------------------------- secrets


@pytest.mark.parametrize(
    "secret",
    [
        "ghp_abcdefghijklmnopqrstuvwxyz0123456789",
        "github_pat_11ABCDEFG0123456789_abcdefghijklmnop",
        "xoxb-1234567890-0987654321-AbCdEfGhIjKl",
        "sk-proj-abcdefghijklmnop1234",
        "sk_live_abcdefghijklmnop1234",
        "AKIAIOSFODNN7EXAMPLE",
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
    ],
)
def test_known_token_shapes(patterns_only: Redactor, secret: str) -> None:
    text = f"oops I pasted {secret} in the log"
    result = patterns_only.redact(text)
    assert result.text == "oops I pasted [SECRET] in the log"
    assert redacted_values(text, result) == [(secret, "SECRET")]


def test_opaque_value_after_credential_word(patterns_only: Redactor) -> None:
    text = "API_KEY=3f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c and my token: Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5"
    result = patterns_only.redact(text)
    assert result.text == "API_KEY=[SECRET] and my token: [SECRET]"
    assert_offsets_valid(text, result)


def test_password_value_redacted_but_placeholders_kept(patterns_only: Redactor) -> None:
    assert patterns_only.redact("password: hunter22").text == "password: [SECRET]"
    for text in ("password=${DB_PASS}", "password: <your password>", "the key path is /etc/ssl/k2024.pem"):
        assert patterns_only.redact(text).text == text


def test_ordinary_key_words_not_secrets(patterns_only: Redactor) -> None:
    text = "The key insight: token counting is the bottleneck for our tokenizer benchmark."
    assert patterns_only.redact(text).text == text


# --------------------------------------------------------------------------- mixed and batch


def test_mixed_text_offsets_refer_to_original(patterns_only: Redactor) -> None:
    text = "Ping me (jane@example.org, +1 415 555 0100); key ghp_abcdefghijklmnopqrstuvwxyz0123456789."
    result = patterns_only.redact(text)
    assert result.text == "Ping me ([EMAIL], [PHONE]); key [SECRET]."
    assert result.kinds == ("EMAIL", "PHONE", "SECRET")
    assert_offsets_valid(text, result)


def test_redact_many_matches_redact(patterns_only: Redactor) -> None:
    texts = ["a@b.io", "nothing here", "", "(415) 555-0100"]
    assert patterns_only.redact_many(texts) == [patterns_only.redact(t) for t in texts]
    assert patterns_only.redact_many([]) == []


def test_names_off_does_not_load_spacy() -> None:
    redactor = Redactor(names=False, spacy_model="no_such_model")
    assert redactor.redact("Thanks Maria Lopez").text == "Thanks Maria Lopez"


# --------------------------------------------------------------------------- names (real spaCy)


@pytest.mark.slow
def test_person_name(with_names: Redactor) -> None:
    text = "Thanks Maria Lopez for the fix"
    result = with_names.redact(text)
    assert result.text == "Thanks [PERSON] for the fix"
    assert result.spans == ((7, 18, "PERSON"),)


@pytest.mark.slow
@pytest.mark.parametrize(
    "text",
    [
        "Docker and Kubernetes keep crashing with Postgres.",
        "I upgraded Postgres to 16 and Docker broke",
        "Redis, Kafka, and Terraform are fine",
        "Thanks to Grafana and Prometheus for the dashboards",
        "Run `Kafka Docker Maria` and check the output",
        "upgraded to v2.3.1 on 2024-03-15, db at 127.0.0.1:5432",
    ],
)
def test_tech_words_not_person(with_names: Redactor, text: str) -> None:
    result = with_names.redact(text)
    assert "PERSON" not in result.kinds, redacted_values(text, result)
    assert result.text == text


@pytest.mark.slow
def test_batch_with_names_and_patterns(with_names: Redactor) -> None:
    texts = ["Thanks Maria Lopez for the fix", "Docker broke again", "mail jane@example.org"]
    results = with_names.redact_many(texts, batch_size=2)
    assert [r.text for r in results] == ["Thanks [PERSON] for the fix", "Docker broke again", "mail [EMAIL]"]
    for text, result in zip(texts, results, strict=True):
        assert_offsets_valid(text, result)


@pytest.mark.slow
def test_spacy_loaded_once_and_shared() -> None:
    first, second = Redactor(), Redactor()
    assert first.nlp is second.nlp


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Names the small model misses or calls a place or an organisation, where only a person stands.
        ("Within an hour Kenji had replied with the fix.", "Within an hour [PERSON] had replied with the fix."),
        ("Ines picked up my question and walked me through it.",
         "[PERSON] picked up my question and walked me through it."),
        ("Thanks Wei and Hannah!", "Thanks [PERSON] and [PERSON]!"),
        ("I sat next to Lukas, who had the same problem.", "I sat next to [PERSON], who had the same problem."),
        ("Priya from the mentoring program paired with me.", "[PERSON] from the mentoring program paired with me."),
    ],
)
def test_names_in_person_contexts_are_redacted(with_names: Redactor, text: str, expected: str) -> None:
    result = with_names.redact(text)
    assert result.text == expected
    assert_offsets_valid(text, result)


@pytest.mark.slow
@pytest.mark.parametrize(
    "text",
    [
        "Someone replied with a workaround. Finally found the bug.",
        "Support replied on Monday and Docker found the image.",
        "We met Tuesday; thanks to Grafana and Prometheus for the dashboards.",
        "Run `Amara replied` to see it.",
    ],
)
def test_person_contexts_without_a_name_are_kept(with_names: Redactor, text: str) -> None:
    assert with_names.redact(text).text == text
