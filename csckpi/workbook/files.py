"""Is this file a workbook at all? Sniff it, refuse hostile ones, open it with openpyxl.

Every way a file can fail to be a workbook ends in one :class:`WorkbookError` with a
one-line message that says what the file is and what to do about it.
"""

from __future__ import annotations

import io
import warnings
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING

from csckpi.errors import WorkbookError

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook

#: Refuse a workbook whose parts would inflate to more than this in total.
MAX_UNCOMPRESSED = 1 << 30  # 1 GiB: a council's workbook is a few MiB
#: A member bigger than this that also compresses better than MAX_RATIO is a zip bomb.
BIG_MEMBER = 128 << 20
MAX_RATIO = 200  # XML compresses 10-50 times; deflate bombs about 1,000 times

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_ENCRYPTED_MARKERS = ("EncryptedPackage".encode("utf-16-le"), "EncryptionInfo".encode("utf-16-le"))
_SAVE_AGAIN = "Open it in Excel and save it again as an Excel Workbook (.xlsx)."


def read_bytes(path: Path) -> bytes:
    """The file's bytes, or a WorkbookError saying why there are none worth reading."""
    if not path.exists():
        raise WorkbookError(f"{path} does not exist.", "Check the file name and folder.")
    if path.is_dir():
        raise WorkbookError(
            f"{path} is a folder, not a workbook.", "Give the path of an .xlsx file."
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise WorkbookError(f"{path} cannot be read: {exc.strerror or exc}.") from None
    sniff(path, data)
    return data


def sniff(path: Path, data: bytes) -> None:
    """Refuse what is not an .xlsx/.xlsm before openpyxl sees it."""
    if not data:
        raise WorkbookError(f"{path} is empty (0 bytes).", _SAVE_AGAIN)
    if data.startswith(_OLE_MAGIC):
        if any(marker in data for marker in _ENCRYPTED_MARKERS):
            raise WorkbookError(
                f"{path} is protected with a password.",
                "Open it in Excel, remove the password (File > Info > Protect Workbook > "
                "Encrypt with Password) and save it.",
            )
        raise WorkbookError(
            f"{path} is an old Excel 97-2003 (.xls) file.",
            "Open it in Excel and save it as .xlsx (Excel Workbook).",
        )
    if not data.startswith(_ZIP_MAGIC):
        if _looks_like_text(data):
            first = data[:2048].split(b"\n", 1)[0]
            what = "a CSV file" if (b"," in first or b";" in first or b"\t" in first) else "text"
            raise WorkbookError(
                f"{path} is {what}, not an Excel workbook.",
                "Open it in Excel and save it as .xlsx (Excel Workbook).",
            )
        raise WorkbookError(f"{path} is not an Excel workbook (.xlsx).", _SAVE_AGAIN)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zlib.error, ValueError, EOFError):
        raise _damaged(path) from None
    with archive:
        infos = archive.infolist()
        names = {info.filename for info in infos}
        _refuse_bombs(path, infos)
        if "mimetype" in names and b"opendocument.spreadsheet" in archive.read("mimetype"):
            raise WorkbookError(
                f"{path} is an OpenDocument spreadsheet (.ods).",
                "Open it and save it as .xlsx (Excel Workbook).",
            )
        if "[Content_Types].xml" not in names or not any(name.startswith("xl/") for name in names):
            raise WorkbookError(
                f"{path} is a zip file but not an Excel workbook.",
                "Give the .xlsx file itself.",
            )


def _refuse_bombs(path: Path, infos: list[zipfile.ZipInfo]) -> None:
    """Check the sizes the zip declares before anything inflates.

    zipfile never returns more than a member's declared size, so declared sizes bound
    what openpyxl can be made to read.
    """
    total = sum(info.file_size for info in infos)
    if total > MAX_UNCOMPRESSED:
        raise WorkbookError(
            f"{path} is refused: it would expand to {total / (1 << 30):.1f} GiB.",
            "A workbook of monthly figures is a few megabytes; this looks like a zip bomb.",
        )
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > BIG_MEMBER and ratio > MAX_RATIO:
            raise WorkbookError(
                f"{path} is refused: its part {info.filename} would expand "
                f"{ratio:,.0f} times to {info.file_size / (1 << 20):,.0f} MiB.",
                "A real workbook compresses far less; this looks like a zip bomb.",
            )


def _looks_like_text(data: bytes) -> bool:
    head = data[:4096]
    if b"\x00" in head:
        return head.startswith((b"\xff\xfe", b"\xfe\xff"))  # UTF-16 text
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a character cut at the end
            return False
    return True


def _damaged(path: Path) -> WorkbookError:
    return WorkbookError(
        f"{path} is damaged: it is not a complete .xlsx file.",
        "Save it from Excel again, or copy it again if it was downloaded or emailed.",
    )


@contextmanager
def translated_errors(path: Path) -> Iterator[None]:
    """Turn what openpyxl, zipfile and defusedxml raise on a broken file into WorkbookError."""
    from defusedxml import DefusedXmlException

    try:
        yield
    except WorkbookError:
        raise
    except DefusedXmlException:
        raise WorkbookError(
            f"{path} is refused: its XML declares entities or a DTD, which Excel never writes "
            "(a possible entity-expansion attack).",
            "Save it from Excel again.",
        ) from None
    except (zipfile.BadZipFile, zlib.error, EOFError):
        raise _damaged(path) from None
    except (
        KeyError,
        OSError,
        ValueError,
        TypeError,
        AttributeError,
        IndexError,
        SyntaxError,  # xml.etree's ParseError: XML broken after its prolog
    ) as exc:
        # openpyxl's answer to a part that is missing or not the XML it expects
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise WorkbookError(
            f"{path} could not be read as a workbook ({detail}).", _SAVE_AGAIN
        ) from None


class _RootReached(Exception):
    """The prolog is over: the part's root element has started."""


def open_checked(archive: zipfile.ZipFile, part: str) -> IO[bytes]:
    """Open a worksheet or shared-strings part for the standard library's fast parser.

    openpyxl parses with defusedxml because it is installed, but defusedxml's parser is
    ElementTree's pure-Python one, a third slower than the C-accelerated parser. The parts
    csckpi parses itself (its sheets and the shared strings, nearly all of its reading) go
    through ``xml.etree.ElementTree.iterparse`` instead, and this makes that safe: every
    entity attack (billion laughs, external entities, a DTD fetched from the network)
    needs a ``<!DOCTYPE``, which XML allows only before the root element and Excel never
    writes. So expat reads the prolog first, in the part's own encoding, and a DOCTYPE there
    is refused with defusedxml's own exception (reported as defusedxml's refusals are);
    the part is opened again for the real parse only once its root element has started
    with none. Without a DTD an entity reference is an error, not an expansion. A prolog
    expat cannot read is refused too, so nothing it did not clear is ever parsed.
    """
    from xml.parsers import expat

    from defusedxml import DTDForbidden

    def doctype(name: str, system: str | None, public: str | None, _subset: int) -> None:
        raise DTDForbidden(name, system, public)

    def root(_name: str, _attributes: object) -> None:
        raise _RootReached

    prolog = expat.ParserCreate(namespace_separator="}")  # as ElementTree's parser
    prolog.StartDoctypeDeclHandler = doctype
    prolog.StartElementHandler = root
    try:
        with archive.open(part) as source:
            while chunk := source.read(1 << 14):
                prolog.Parse(chunk, False)
            prolog.Parse(b"", True)
    except _RootReached:
        return archive.open(part)
    except expat.ExpatError as exc:
        raise ValueError(f"{part} is not XML: {exc}") from None
    raise ValueError(f"{part} has no XML element")


@dataclass
class OpenBook:
    """An opened workbook: its sheets' names and parts, styles, and shared strings on demand.

    openpyxl's ``load_workbook(read_only=True)`` scans every sheet for its size as it opens
    (the whole sheet, when the writer left out the dimension): a million cells in a sheet
    csckpi never reads would cost seconds. So the workbook is opened with the parts of
    openpyxl's reader that csckpi needs, and each sheet is parsed only when it is read.
    """

    wb: Workbook  # styles, date system; no worksheets attached
    archive: zipfile.ZipFile
    sheets: dict[str, str]  # title -> worksheet part, in workbook order
    strings: SharedStrings

    def close(self) -> None:
        self.archive.close()


class SharedStrings:
    """The shared string table, parsed only as far as the sheets read need."""

    def __init__(self, archive: zipfile.ZipFile, part: str | None) -> None:
        self._items: list[str] = []
        self._archive = archive
        self._part = part
        self._source: Iterator[str] | None = None

    def _strings(self) -> Iterator[str]:
        from xml.etree.ElementTree import iterparse  # safe after open_checked: see there

        from openpyxl.cell.text import Text
        from openpyxl.xml.constants import SHEET_MAIN_NS

        if self._part is None:
            return
        tag = f"{{{SHEET_MAIN_NS}}}si"
        with open_checked(self._archive, self._part) as source:
            for _event, node in iterparse(source):
                if node.tag == tag:
                    text = Text.from_tree(node).content.replace("x005F_", "")
                    node.clear()
                    yield text

    def __getitem__(self, index: int) -> str:
        items = self._items
        if index >= len(items):
            if self._source is None:
                self._source = self._strings()
            for text in self._source:
                items.append(text)
                if index < len(items):
                    break
        return items[index]  # IndexError when the sheet points past the table


def open_workbook(path: Path, data: bytes) -> OpenBook:
    """Open the workbook part, styles and sheet list; no sheet is parsed yet."""
    from openpyxl.reader.excel import ExcelReader, _find_workbook_part
    from openpyxl.styles.stylesheet import apply_stylesheet
    from openpyxl.xml.constants import SHARED_STRINGS

    with translated_errors(path), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns about extensions it drops: not ours
        reader = ExcelReader(
            io.BytesIO(data), read_only=True, keep_vba=False, data_only=True, keep_links=False
        )
        try:
            reader.read_manifest()
            _find_workbook_part(reader.package)
            reader.read_workbook()
            apply_stylesheet(reader.archive, reader.wb)
            sheets = {
                sheet.name: rel.target
                for sheet, rel in reader.parser.find_sheets()
                if rel.target in reader.valid_files and "chartsheet" not in rel.Type
            }
            strings = reader.package.find(SHARED_STRINGS)
        except BaseException:
            reader.archive.close()
            raise
        return OpenBook(
            wb=reader.wb,
            archive=reader.archive,
            sheets=sheets,
            strings=SharedStrings(reader.archive, strings.PartName[1:] if strings else None),
        )
