"""Hostile files are refused before they can cost memory or time.

No timing assertions (the suite runs on shared machines): these tests check *how* a file is
refused — before its parts are inflated, before entities expand — and that memory stays small.
"""

from __future__ import annotations

import io
import struct
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from workbook_factory import base, rezip, write

from csckpi.errors import WorkbookError
from csckpi.workbook import read

MIB = 1 << 20


def peak_while_reading(path: Path) -> tuple[int, str]:
    """Peak Python memory while ``read`` refuses ``path``, and its message."""
    tracemalloc.start()
    try:
        with pytest.raises(WorkbookError) as refused:
            read(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak, str(refused.value)


def test_zip_bomb_refused_before_anything_inflates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    book = write(tmp_path / "plain.xlsx", base())
    bomb = rezip(book, tmp_path / "bomb.xlsx", {})
    with (
        zipfile.ZipFile(bomb, "a", zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/worksheets/sheet2-padding.xml", "w", force_zip64=True) as member,
    ):
        block = bytes(MIB)
        for _ in range(200):
            member.write(block)
    opened: list[str] = []
    original = zipfile.ZipFile.open

    def spy(self: zipfile.ZipFile, name: object, *args: object, **kwargs: object) -> object:
        opened.append(getattr(name, "filename", name))  # type: ignore[arg-type]
        return original(self, name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(zipfile.ZipFile, "open", spy)
    peak, message = peak_while_reading(bomb)
    assert opened == []  # refused from the sizes the zip declares
    assert peak < 20 * MIB
    assert message.startswith(f"{bomb} is refused: its part xl/worksheets/sheet2-padding.xml")
    assert "zip bomb" in message


def patch_declared_size(path: Path, member: str, size: int) -> None:
    """Rewrite the uncompressed size a zip declares for ``member`` (local and central headers)."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(member)
    struct.pack_into("<I", data, info.header_offset + 22, size)
    name = member.encode()
    patched = 0
    position = data.find(name)
    while position != -1:
        start = position - 46  # a central directory header is 46 bytes before its name
        if data[start : start + 4] == b"PK\x01\x02":
            struct.pack_into("<I", data, start + 24, size)
            patched += 1
        position = data.find(name, position + 1)
    assert patched == 1
    path.write_bytes(bytes(data))


def test_declared_sizes_over_the_cap_are_refused(tmp_path: Path) -> None:
    book = write(tmp_path / "book.xlsx", base())
    patch_declared_size(book, "xl/worksheets/sheet2.xml", 0xFFFF0000)  # ~4 GiB
    peak, message = peak_while_reading(book)
    assert peak < 20 * MIB
    assert message == (
        f"{book} is refused: it would expand to 4.0 GiB. A workbook of monthly figures is a "
        "few megabytes; this looks like a zip bomb."
    )


def test_a_part_larger_than_it_declares_is_cut_short_and_refused(tmp_path: Path) -> None:
    """A lying header cannot make a part inflate past its declared size."""
    book = write(tmp_path / "plain.xlsx", base())
    with zipfile.ZipFile(book) as archive:
        sheet = archive.read("xl/worksheets/sheet2.xml")
    padded = sheet.replace(b"<sheetData>", b"<sheetData>" + b" " * (100 * MIB), 1)
    liar = rezip(book, tmp_path / "liar.xlsx", {"xl/worksheets/sheet2.xml": padded})
    patch_declared_size(liar, "xl/worksheets/sheet2.xml", 4096)
    peak, message = peak_while_reading(liar)
    assert peak < 30 * MIB
    assert message.startswith(f"{liar} is damaged: it is not a complete .xlsx file.")


LAUGHS = b"".join(
    f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">'.encode() for i in range(1, 10)
)


@pytest.mark.parametrize(
    ("member", "doctype"),
    [
        ("xl/workbook.xml", b'<!DOCTYPE x [<!ENTITY lol0 "lol">' + LAUGHS + b"]>"),
        ("xl/worksheets/sheet2.xml", b'<!DOCTYPE x [<!ENTITY lol0 "lol">' + LAUGHS + b"]>"),
        ("xl/styles.xml", b'<!DOCTYPE x [<!ENTITY lol0 "lol">' + LAUGHS + b"]>"),
        ("xl/worksheets/sheet1.xml", b'<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'),
    ],
)
def test_entity_declarations_are_refused(tmp_path: Path, member: str, doctype: bytes) -> None:
    book = write(tmp_path / "plain.xlsx", base())
    with zipfile.ZipFile(book) as archive:
        xml = archive.read(member)
    body = xml.split(b"?>", 1)[1] if xml.startswith(b"<?xml") else xml
    body = body.replace(b"<v>280</v>", b"<v>&lol9;</v>", 1)
    hostile = rezip(book, tmp_path / "hostile.xlsx", {member: doctype + body})
    peak, message = peak_while_reading(hostile)
    assert peak < 20 * MIB
    assert message == (
        f"{hostile} is refused: its XML declares entities or a DTD, which Excel never writes "
        "(a possible entity-expansion attack). Save it from Excel again."
    )


def test_entity_declarations_in_the_shared_strings_are_refused(tmp_path: Path) -> None:
    """Excel's shared string table is parsed by csckpi itself: its DTD is refused too."""
    from workbook_factory import with_shared_strings

    shared = with_shared_strings(write(tmp_path / "plain.xlsx", base()), tmp_path / "shared.xlsx")
    with zipfile.ZipFile(shared) as archive:
        xml = archive.read("xl/sharedStrings.xml")
    body = xml.split(b"?>", 1)[1] if xml.startswith(b"<?xml") else xml
    doctype = b'<!DOCTYPE x [<!ENTITY lol0 "lol">' + LAUGHS + b"]>"
    hostile = rezip(shared, tmp_path / "hostile.xlsx", {"xl/sharedStrings.xml": doctype + body})
    peak, message = peak_while_reading(hostile)
    assert peak < 20 * MIB
    assert message == (
        f"{hostile} is refused: its XML declares entities or a DTD, which Excel never writes "
        "(a possible entity-expansion attack). Save it from Excel again."
    )


@pytest.mark.parametrize(
    ("member", "encoding", "prolog"),
    [
        ("xl/worksheets/sheet2.xml", "utf-16", "<!-- a comment first -->"),
        ("xl/sharedStrings.xml", "utf-16", ""),
        ("xl/worksheets/sheet2.xml", "utf-8", "<?pi?>\n<!-- a comment -->\n"),
    ],
)
def test_a_dtd_is_refused_in_any_encoding_and_after_comments(
    tmp_path: Path, member: str, encoding: str, prolog: str
) -> None:
    """csckpi parses its sheets and shared strings with the standard library's fast parser
    after checking their prologs for a DTD (csckpi/workbook/files.py, open_checked): the
    check reads the part in its own encoding, so UTF-16 does not hide a DOCTYPE."""
    from workbook_factory import with_shared_strings

    book = with_shared_strings(write(tmp_path / "plain.xlsx", base()), tmp_path / "shared.xlsx")
    with zipfile.ZipFile(book) as archive:
        xml = archive.read(member).decode("utf-8")
    body = xml.split("?>", 1)[1] if xml.startswith("<?xml") else xml
    declaration = f'<?xml version="1.0" encoding="{encoding}"?>'
    doctype = '<!DOCTYPE x [<!ENTITY lol0 "lol">' + LAUGHS.decode() + "]>"
    hostile = rezip(
        book,
        tmp_path / "hostile.xlsx",
        {member: (declaration + prolog + doctype + body).encode(encoding)},
    )
    peak, message = peak_while_reading(hostile)
    assert peak < 20 * MIB
    assert message == (
        f"{hostile} is refused: its XML declares entities or a DTD, which Excel never writes "
        "(a possible entity-expansion attack). Save it from Excel again."
    )
    # the same part without the DTD, in the same encoding, is read
    clean = rezip(
        book, tmp_path / "clean.xlsx", {member: (declaration + prolog + body).encode(encoding)}
    )
    assert read(clean).dataset is not None


@pytest.mark.parametrize(
    ("member", "xml", "detail"),
    [
        ("xl/worksheets/sheet2.xml", b"", "xl/worksheets/sheet2.xml is not XML: no element found"),
        ("xl/sharedStrings.xml", b"<?xml version='1.0'?>\n<!-- only this -->", "no element found"),
        ("xl/worksheets/sheet2.xml", b"<?xml version='1.0'?><!DOCTYPE", "not XML: unclosed token"),
    ],
)
def test_a_part_whose_prolog_is_not_xml_is_refused_as_unreadable(
    tmp_path: Path, member: str, xml: bytes, detail: str
) -> None:
    from workbook_factory import with_shared_strings

    book = with_shared_strings(write(tmp_path / "plain.xlsx", base()), tmp_path / "shared.xlsx")
    broken = rezip(book, tmp_path / "broken.xlsx", {member: xml})
    _, message = peak_while_reading(broken)
    assert message.startswith(f"{broken} could not be read as a workbook (")
    assert detail in message


def test_defusedxml_is_a_dependency_and_openpyxl_parses_with_it() -> None:
    """openpyxl only uses defusedxml when it is installed: csckpi must depend on it."""
    import tomllib

    from defusedxml import DefusedXmlException
    from openpyxl.xml import DEFUSEDXML
    from openpyxl.xml.functions import fromstring, iterparse

    pyproject = Path(__file__).resolve().parent.parent / "pyproject.toml"
    dependencies = tomllib.loads(pyproject.read_text("utf-8"))["project"]["dependencies"]
    assert any(d.replace(" ", "").lower().startswith("defusedxml") for d in dependencies)
    assert DEFUSEDXML is True
    bomb = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY lol0 "lol">' + LAUGHS + b"]><x>&lol9;</x>"
    with pytest.raises(DefusedXmlException):
        fromstring(bomb)
    with pytest.raises(DefusedXmlException):
        for _ in iterparse(io.BytesIO(bomb)):
            pass
