"""An image written inline as a `data:` URI must show in every format, or the build refuses it.

The HTML keeps the URI as it is; the DOCX and the PDF need its bytes in a format they read:
Typst reads PNG, JPEG, GIF, WebP and SVG (typst-paths.lua writes the bytes to a file for it), and
would otherwise stop with its own message, which names neither the article nor the line.
"""

from __future__ import annotations

import base64
import binascii
from urllib.parse import unquote_to_bytes

# The image types every output can show, and how their bytes begin.
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/gif": (b"GIF87a", b"GIF89a"),
    "image/webp": (b"RIFF",),
    "image/svg+xml": (),
}
SHOWN = 40  # characters of the URI a message quotes: enough to recognise it


def shown(uri: str) -> str:
    return uri if len(uri) <= SHOWN else uri[:SHOWN] + "…"


def _payload(header: str, data: str) -> bytes | None:
    """The URI's bytes, or None when they do not decode."""
    if header.endswith(";base64"):
        try:
            return base64.b64decode(unquote_to_bytes(data), validate=True)
        except (binascii.Error, ValueError):
            return None
    return unquote_to_bytes(data)


def problem(uri: str) -> str | None:
    """What keeps the image `uri` (a `data:` URI) out of some format, or None."""
    header, comma, data = uri[len("data:") :].partition(",")
    mime = header.split(";")[0].strip().lower()
    if not comma or mime not in SIGNATURES:
        kind = f"of type `{mime}`" if mime else "without an image type"
        return f"is a `data:` image {kind}, which the PDF and DOCX cannot show"
    payload = _payload(header, data)
    if payload is None:
        return "is a `data:` image whose base64 text does not decode"
    signatures = SIGNATURES[mime]
    if mime == "image/svg+xml":
        readable = b"<svg" in payload[:4096]
    else:
        readable = payload.startswith(signatures) and (
            mime != "image/webp" or b"WEBP" in payload[8:12]
        )
    if not readable:
        return f"is a `data:` image whose bytes are not {mime.split('/')[1].upper()}"
    return None


def refusal(uri: str) -> str | None:
    """The build's message for an unusable `data:` image (after `file:line: `), or None."""
    reason = problem(uri)
    if reason is None:
        return None
    return (
        f"image `{shown(uri)}` {reason}; convert it to PNG, JPEG, GIF, WebP or SVG, or save it "
        "as a file in the project and link that"
    )
