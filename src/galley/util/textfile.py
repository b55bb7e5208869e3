"""Reading the project's text files: UTF-8 only, with a message that says where a file is not."""

from __future__ import annotations

import codecs
from pathlib import Path

from galley.errors import GalleyError, cannot_read

UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def read_utf8(
    path: Path, shown: Path | str | None = None, error: type[GalleyError] = GalleyError
) -> str:
    """The file's text (a UTF-8 byte-order mark dropped); a missing file or one in another
    encoding raises `error` naming `shown` (default: `path`) and, when there is one, the line;
    so does one the user may not read."""
    shown = path if shown is None else shown
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise error("file not found", path=shown) from None
    except IsADirectoryError:
        raise error("is a folder, not a file", path=shown) from None
    except PermissionError:
        raise error(cannot_read(str(shown))) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if data.startswith(UTF16_BOMS):
            raise error(
                "the file is UTF-16, not UTF-8; save it as UTF-8 (in most editors: "
                "Save with Encoding, UTF-8)",
                path=shown,
            ) from None
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise error(
            f"the file is not UTF-8: byte 0x{data[exc.start]:02x} in column {column} is not "
            "valid UTF-8; save the file as UTF-8 (in most editors: Save with Encoding, UTF-8)",
            path=shown,
            line=line,
        ) from None
