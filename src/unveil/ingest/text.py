"""Text normalisation: decoding with detection, Unicode NFC, safe mojibake repair, control characters."""

from __future__ import annotations

import codecs
import hashlib
import re
import unicodedata
from typing import IO

from charset_normalizer import from_bytes

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MOJIBAKE_MARKS = re.compile(r"[ÃÂâ][\x80-\xbf€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ -¿]")
SAMPLE = 64 * 1024
PREFERRED = ("cp1252", "latin_1", "iso8859_15")


BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


def stream_encoding(head: bytes) -> tuple[str, int] | None:
    """The encoding a byte-order mark (or a UTF-16 pattern of NULs) announces, and the mark's length."""
    for mark, name in BOMS:
        if head.startswith(mark):
            return name, len(mark)
    if len(head) >= 4 and head[1] == 0 and head[3] == 0 and head[0] and head[2]:
        return "utf-16-le", 0
    if len(head) >= 4 and head[0] == 0 and head[2] == 0 and head[1] and head[3]:
        return "utf-16-be", 0
    return None


class Utf8Stream:
    """A binary stream re-encoded to UTF-8 on the fly (from UTF-16 of either byte order), in bounded memory."""

    def __init__(self, raw: IO[bytes], encoding: str) -> None:
        self._raw = raw
        self._decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
        self._done = False

    def read(self, size: int = -1) -> bytes:
        """Up to about ``size`` bytes of UTF-8 (b"" only at the end)."""
        while not self._done:
            data = self._raw.read(size if size > 0 else 1 << 20)
            self._done = not data
            text = self._decoder.decode(data, final=self._done)
            if text:
                return text.encode("utf-8")
        return b""


def utf8_stream(raw: IO[bytes]) -> IO[bytes]:
    """``raw`` past a UTF-8 byte-order mark, or re-encoded from UTF-16; ``raw`` itself otherwise.

    The stream is first sought back to 0: it is read from its start, whatever was read before.
    """
    raw.seek(0)
    found = stream_encoding(raw.read(4))
    raw.seek(0)
    if found is None:
        return raw
    encoding, mark = found
    raw.seek(mark)
    if encoding == "utf-8":
        return raw
    return Utf8Stream(raw, encoding)  # type: ignore[return-value]


def detect_encoding(sample: bytes) -> str:
    """The encoding of a byte sample: UTF-8 when it decodes, else charset-normalizer's best guess."""
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    try:
        sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(sample) - 4:  # a multi-byte character cut by the sample's end
            return "utf-8"
    matches = list(from_bytes(sample[:SAMPLE]))
    if not matches:
        return "utf-8"
    best = matches[0]
    # on short samples several code pages tie; prefer the Western one the region most often uses
    tied = [m.encoding for m in matches if m.chaos <= best.chaos and m.coherence >= best.coherence]
    return next((name for name in PREFERRED if name in tied), best.encoding)


def decode(data: bytes, encoding: str = "utf-8") -> tuple[str, bool]:
    """Decode bytes; invalid sequences become U+FFFD. Returns the text and whether any were replaced."""
    try:
        return data.decode(encoding), False
    except UnicodeDecodeError:
        return data.decode(encoding, errors="replace"), True
    except LookupError:
        return data.decode("utf-8", errors="replace"), True


def repair_mojibake(text: str) -> str:
    """Undo UTF-8 read as Latin-1/CP1252 (``CafÃ©`` → ``Café``) when the repair is unambiguous.

    The text is re-encoded and decoded as UTF-8 only if that succeeds strictly and removes the
    tell-tale sequences; otherwise it is returned unchanged.
    """
    if not MOJIBAKE_MARKS.search(text):
        return text
    for codec in ("latin-1", "cp1252"):
        try:
            repaired = text.encode(codec).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        if len(MOJIBAKE_MARKS.findall(repaired)) < len(MOJIBAKE_MARKS.findall(text)):
            return repaired
    return text


def repair_latin1_escapes(text: str) -> str:
    """Facebook exports write each UTF-8 byte as a ``\\u00XX`` escape: re-read those bytes as UTF-8."""
    try:
        return text.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


def normalise_text(text: str) -> str:
    """NFC, mojibake repaired, NUL and other control characters removed (tabs and newlines kept)."""
    if text.isascii():
        return text if text.isprintable() else CONTROL.sub("", text)
    text = CONTROL.sub("", text)
    return unicodedata.normalize("NFC", repair_mojibake(text))


def clean_optional(value: object, limit: int = 4096) -> str | None:
    """A short text field (author, title, city...) normalised and cut to ``limit`` characters."""
    if value is None or isinstance(value, dict | list):
        return None
    text = normalise_text(str(value)).strip()
    return text[:limit] or None


def content_sha256(title: str | None, text: str | None) -> str:
    """What makes two versions of a post with the same id differ: its title and text (hashed)."""
    return hashlib.sha256(f"{title or ''}\x1f{text or ''}".encode("utf-8", "surrogatepass")).hexdigest()[:32]
