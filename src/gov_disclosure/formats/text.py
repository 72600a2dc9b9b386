"""Plain-text input: decoding report bytes."""

from __future__ import annotations

from ..errors import InputFormatError

__all__ = ["decode"]


def decode(data: bytes) -> str:
    """Decode report bytes: UTF-8 (with or without BOM), UTF-16 with a BOM, else
    GB18030 (GBK, GB2312).  Bytes that are none of these raise
    :class:`~gov_disclosure.errors.InputFormatError`, never ``UnicodeDecodeError``."""
    try:
        if data.startswith(b"\xef\xbb\xbf"):
            return data[3:].decode("utf-8")
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            return data.decode("utf-16")
    except UnicodeDecodeError:
        raise InputFormatError(
            "the file starts with a Unicode byte-order mark but is not valid UTF-8/UTF-16 after it; "
            "the file is damaged or not text"
        ) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise InputFormatError(
            "the file is neither UTF-8 nor GB18030/GBK text; convert it to UTF-8 first"
        ) from None
