"""Bytes → report text, or a clear reason why a file is not a report.

Plain text in any common encoding (UTF-8 with or without BOM, UTF-16 with BOM, GB18030/GBK,
Big5) and HTML pages (reduced to their text with the standard library's HTML parser) are read;
anything else is rejected with a reason a person can act on.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from charset_normalizer import from_bytes

from ..extraction.text import HAN

TEXT_SUFFIXES = {".txt", ".text", ""}
HTML_SUFFIXES = {".html", ".htm"}
# Encodings charset-normalizer may name for Chinese text; anything else (cp1252, koi8 …) on a
# file that is not valid UTF-8 means the bytes are not a report in a supported encoding.
CHINESE_ENCODINGS = {"gb18030", "gbk", "gb2312", "hz", "big5", "big5hkscs", "cp950", "cp936", "euc_tw"}
WIDE_UNICODE_ENCODINGS = {"utf_16_le", "utf_16_be", "utf_32_le", "utf_32_be", "utf_16", "utf_32"}
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


class ReportRejected(Exception):
    """The file is not a report zhibiao can read; `reason` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class DecodedReport:
    text: str
    encoding: str
    text_format: str  # "text" or "html"
    warning: str | None  # damage found while decoding, e.g. a truncated last character


def _decode_utf8_allowing_truncated_end(data: bytes) -> tuple[str, str | None] | None:
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as err:
        # A download cut off inside a multi-byte character: everything before it is good.
        if err.start >= len(data) - 3 and err.reason == "unexpected end of data":
            text = data[: err.start].decode("utf-8")
            return text, f"truncated multi-byte character at end ({len(data) - err.start} byte(s) dropped)"
        return None


def decode_bytes(data: bytes) -> tuple[str, str, str | None]:
    """(text, encoding, warning) or ReportRejected."""
    if not data:
        raise ReportRejected("empty file")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding.replace("-sig", "") + " (BOM)", None
            except UnicodeDecodeError as err:
                raise ReportRejected(
                    f"starts with a {encoding} byte-order mark but is not valid {encoding}: {err.reason}") from err
    if b"\x00" in data:
        # UTF-16 or UTF-32 without a byte-order mark is full of NULs too: the detector tells them
        # from binary data.
        best = from_bytes(data).best()
        if best is not None and best.encoding.lower() in WIDE_UNICODE_ENCODINGS and HAN.search(str(best)):
            return str(best), best.encoding.lower().replace("_", "-") + " (no BOM)", None
        raise ReportRejected("binary file (contains NUL bytes and is no UTF-16 or UTF-32 text)")
    utf8 = _decode_utf8_allowing_truncated_end(data)
    if utf8 is not None:
        return utf8[0], "utf-8", utf8[1]
    best = from_bytes(data).best()
    if best is None or best.encoding.lower() not in CHINESE_ENCODINGS:
        found = best.encoding if best else "none"
        raise ReportRejected(f"not text in a supported encoding (UTF-8/16, GB18030, GBK, Big5; detector said {found})")
    text = str(best)
    if not HAN.search(text):
        raise ReportRejected(f"decodes as {best.encoding} but holds no Chinese text")
    encoding = "gb18030" if best.encoding.lower() in {"gbk", "gb2312", "cp936"} else best.encoding.lower()
    # GB18030 is a superset of GBK/GB2312: decode with it so rare characters survive.
    if encoding == "gb18030":
        text = data.decode("gb18030", errors="strict")
    return text, encoding, None


class _TextOfHtml(HTMLParser):
    BLOCKS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "title", "section",
              "article", "table", "ul", "ol", "td", "th"}
    SKIPPED = {"script", "style", "noscript", "template", "head"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip_depth = 0
        self.title: list[str] = []
        self.in_title = False

    def handle_starttag(self, tag: str, attrs) -> None:  # noqa: ANN001 - HTMLParser's signature
        if tag == "title":
            self.in_title = True
        if tag in self.SKIPPED:
            self.skip_depth += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        if tag in self.SKIPPED and self.skip_depth:
            self.skip_depth -= 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title.append(data)
        if not self.skip_depth:
            self.parts.append(data)


def html_to_text(markup: str) -> str:
    """The readable text of a page: the title, then the body's text with blocks on their own lines."""
    parser = _TextOfHtml()
    parser.feed(markup)
    parser.close()
    body = "".join(parser.parts)
    lines = [re.sub(r"[ \t\r\f\v]+", " ", line).strip() for line in body.split("\n")]
    text = "\n".join(line for line in lines if line)
    title = "".join(parser.title).strip()
    if title and not text.startswith(title):
        text = title + "\n" + text
    return text


def looks_like_html(text: str) -> bool:
    head = text[:2000].lstrip().lower()
    return head.startswith(("<!doctype html", "<html")) or ("<body" in head and "</" in head)


def decode_report(path: Path, data: bytes) -> DecodedReport:
    suffix = path.suffix.lower()
    if suffix not in TEXT_SUFFIXES | HTML_SUFFIXES:
        raise ReportRejected(f"unsupported file type '{suffix}' (expected .txt, .html or .htm)")
    text, encoding, warning = decode_bytes(data)
    text_format = "text"
    if suffix in HTML_SUFFIXES or looks_like_html(text):
        text = html_to_text(text)
        text_format = "html"
    if not text.strip():
        raise ReportRejected("whitespace only" if text_format == "text" else "HTML page without text")
    if "\ufffd" in text and text.count("\ufffd") > max(5, len(text) // 100):
        raise ReportRejected("too many undecodable characters: not a text report")
    return DecodedReport(text, encoding, text_format, warning)
