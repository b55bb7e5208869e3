"""`SOURCE_DATE_EPOCH`, the reproducible-builds convention for "the time of this build": whole
seconds since 1970 (reproducible-builds.org/specs/source-date-epoch). galley dates the title
block's `date: today` and the PDF by it, and pandoc the DOCX. A value that is no such time is
refused before anything is written; one after the year 9999 (which Python's dates cannot hold)
is most likely milliseconds."""

from __future__ import annotations

import os

from galley.errors import ConfigError

MAX_SECONDS = 253_402_300_799  # 9999-12-31 23:59:59 UTC


def source_date_epoch() -> int | None:
    """The build's time from SOURCE_DATE_EPOCH, or None when it is unset or empty."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return None
    if not (value.isascii() and value.isdigit()):
        raise ConfigError(
            f"SOURCE_DATE_EPOCH is `{value[:40]}`; set it to whole seconds since 1970 (as "
            "`date +%s` prints them) or unset it"
        )
    seconds = int(value)
    if seconds > MAX_SECONDS:
        raise ConfigError(
            f"SOURCE_DATE_EPOCH is `{value[:40]}`, a time after the year 9999 (milliseconds?); "
            "set it to whole seconds since 1970 (as `date +%s` prints them) or unset it"
        )
    return seconds
