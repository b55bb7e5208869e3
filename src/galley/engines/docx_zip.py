"""The DOCX written again with some parts replaced: the parts galley leaves as they are keep
pandoc's compressed bytes, copied, not inflated and deflated again.

Deflating the figures again was most of the DOCX's finishing (15 of its 18 ms for this paper's
two PNGs); pandoc's zlib and Python's give the same bytes at the default level, and pandoc is
pinned (pypandoc-binary), so a copy is what `zipfile` wrote before, byte for byte
(`tests/render/test_docx_zip.py` holds that). The archive is laid out as `zipfile` lays it out
(its local headers, its central directory, no data descriptors): only the members' data is
taken as it is. Anything `zipfile` would write differently — ZIP64 sizes, another compression —
goes through `zipfile` instead.
"""

from __future__ import annotations

import os
import struct
import zipfile
import zlib
from pathlib import Path

# zipfile's own layout (`structCentralDir`, `structEndArchive` in zipfile.py).
CENTRAL_DIRECTORY = struct.Struct("<4s4B4HL2L5H2L")
END_OF_ARCHIVE = struct.Struct("<4s4H2LH")
LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")
# Below this, no offset or size needs ZIP64's fields.
SMALL = zipfile.ZIP64_LIMIT
COPIED = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)


def rewrite_zip(path: Path, replacements: dict[str, bytes]) -> None:
    """Rewrite the archive with some members replaced, keeping the others and their order; a
    replacement the archive lacks is added at the end, dated as pandoc dates its members."""
    partial = path.with_name(path.name + ".part")
    with zipfile.ZipFile(path) as old:
        infos = old.infolist()
        added = [
            zipfile.ZipInfo(name, date_time=infos[0].date_time)
            for name in sorted(set(replacements) - set(old.namelist()))
        ]
        blob = path.read_bytes()
        small = len(blob) + sum(map(len, replacements.values())) < SMALL
        if small and all(info.compress_type in COPIED for info in infos):
            partial.write_bytes(_archive(blob, infos, added, replacements))
        else:
            _rewrite_with_zipfile(old, partial, added, replacements)
    os.replace(partial, path)


def _archive(
    blob: bytes,
    infos: list[zipfile.ZipInfo],
    added: list[zipfile.ZipInfo],
    replacements: dict[str, bytes],
) -> bytes:
    """The new archive's bytes: what `zipfile` writes for the same members, in one pass."""
    out = bytearray()
    for info in [*infos, *added]:
        data = replacements.get(info.filename)
        if data is None:  # kept: its compressed bytes as they are, CRC and sizes with them
            stored = _member_data(blob, info)
        else:
            stored = _compressed(data, info.compress_type)
            info.CRC, info.file_size = zlib.crc32(data), len(data)
        info.compress_size = len(stored)
        # What `ZipFile.open(info, "w")` sets before writing the member's header.
        info.flag_bits = 0
        info.external_attr = info.external_attr or 0o600 << 16
        info.header_offset = len(out)
        out += info.FileHeader(False)
        out += stored
    start = len(out)
    for info in [*infos, *added]:
        out += _central_entry(info)
    count = len(infos) + len(added)
    out += END_OF_ARCHIVE.pack(b"PK\005\006", 0, 0, count, count, len(out) - start, start, 0)
    return bytes(out)


def _member_data(blob: bytes, info: zipfile.ZipInfo) -> bytes:
    """The member's data as the archive holds it (compressed), after its local header."""
    header = LOCAL_HEADER.unpack_from(blob, info.header_offset)
    start = info.header_offset + LOCAL_HEADER.size + header[-2] + header[-1]
    return blob[start : start + info.compress_size]


def _compressed(data: bytes, compress_type: int) -> bytes:
    if compress_type == zipfile.ZIP_STORED:
        return data
    # zipfile's compressor for ZIP_DEFLATED at its default level.
    deflate = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    return deflate.compress(data) + deflate.flush()


def _central_entry(info: zipfile.ZipInfo) -> bytes:
    """The member's central directory record, as `ZipFile.close` writes it."""
    year, month, day, hour, minute, second = info.date_time
    try:
        name, flags = info.filename.encode("ascii"), info.flag_bits
    except UnicodeEncodeError:
        name, flags = info.filename.encode("utf-8"), info.flag_bits | 0x800
    record = CENTRAL_DIRECTORY.pack(
        b"PK\001\002",
        info.create_version,
        info.create_system,
        info.extract_version,
        info.reserved,
        flags,
        info.compress_type,
        hour << 11 | minute << 5 | second // 2,
        (year - 1980) << 9 | month << 5 | day,
        info.CRC,
        info.compress_size,
        info.file_size,
        len(name),
        len(info.extra),
        len(info.comment),
        0,
        info.internal_attr,
        info.external_attr,
        info.header_offset,
    )
    return record + name + info.extra + info.comment


def _rewrite_with_zipfile(
    old: zipfile.ZipFile,
    partial: Path,
    added: list[zipfile.ZipInfo],
    replacements: dict[str, bytes],
) -> None:
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            new.writestr(info, replacements.get(info.filename, old.read(info)))
        for info in added:
            new.writestr(info, replacements[info.filename])
