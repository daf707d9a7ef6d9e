"""Read a CV file (.txt, .md, .pdf, .docx) into text, within bounds, and report hidden text.

Every reader is bounded so one hostile file cannot stall a batch: a size cap
(:data:`MAX_BYTES`, :class:`~matcher.errors.InputTooLargeError`), a page cap for PDFs (pages beyond
it are skipped with a warning), and a zip-bomb guard for DOCX that checks the declared uncompressed
sizes before anything is parsed. Encrypted, corrupt or text-less (scanned) documents raise
:class:`~matcher.errors.DocumentError` naming the file; messages never quote the document.

White, invisible (render mode 3), hidden (``w:vanish``) or microscopic text is a known trick to
stuff keywords into a CV. It is kept in ``text`` (we do not silently drop content) but collected in
``hidden_text`` and reported in ``warnings`` so scoring can discount it.
"""

from __future__ import annotations

import io
import logging
import re
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from matcher.errors import (
    DocumentError,
    EmptyInputError,
    InputError,
    InputTooLargeError,
    MatcherError,
    UnsupportedFormatError,
)
from matcher.features import budget
from matcher.features.text import decode_bytes

__all__ = [
    "DocumentText",
    "read_document",
    "read_bytes",
    "read_file_bytes",
    "MAX_BYTES",
    "MAX_PAGES",
    "MAX_UNCOMPRESSED",
    "SUPPORTED_SUFFIXES",
]

log = logging.getLogger(__name__)

#: Largest file read (bytes). A CV is rarely above 5 MB even with a photo.
MAX_BYTES = 20 * 1024 * 1024
#: PDF pages read; the rest are skipped with a warning.
MAX_PAGES = 40
#: Sum of declared uncompressed sizes of a DOCX's parts.
MAX_UNCOMPRESSED = 100 * 1024 * 1024
#: Largest compression ratio accepted for one DOCX part above 1 MB.
MAX_RATIO = 200
#: Largest decompressed content stream of one PDF page; a CV page holds tens of KB, and text
#: extraction costs ~50 us per operator, so a compressed flood of operators is skipped.
MAX_PAGE_CONTENT = 1_000_000
#: Wall-time budget of reading one PDF (seconds); pages after it are skipped with a warning.
MAX_PDF_SECONDS = 15.0
#: Bytes of XML in one DOCX part: the XML is parsed in one call that no budget check can stop, at
#: about twelve times its size in memory, so this bounds it under the per-file memory budget (a
#: CV's document.xml is well under a megabyte).
MAX_DOCX_PART = 20 * 1024 * 1024

SUPPORTED_SUFFIXES = (".txt", ".md", ".text", ".pdf", ".docx")

Format = Literal["text", "pdf", "docx"]


@dataclass(frozen=True, slots=True)
class DocumentText:
    """Raw text of a document (not yet repaired), with what was hidden in it.

    ``complete`` is False when a time budget cut the reading short (pages not read, or a page
    read without its layout): another read of the same bytes may then give more text.
    """

    text: str
    format: Format
    pages: int = 1
    hidden_text: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    complete: bool = True


def read_document(
    path: str | Path, *, max_bytes: int = MAX_BYTES, max_pages: int = MAX_PAGES
) -> DocumentText:
    """Read one file; the format comes from its first bytes, then its suffix."""
    path = Path(path)
    data = read_file_bytes(path, max_bytes=max_bytes)
    return read_bytes(data, name=str(path), suffix=path.suffix.lower(), max_bytes=max_bytes,
                      max_pages=max_pages)


def read_file_bytes(path: str | Path, *, max_bytes: int = MAX_BYTES) -> bytes:
    """The bytes of one regular file of at most ``max_bytes`` (what :func:`read_document` reads);
    a missing, special or oversized file raises the error that names it."""
    path = Path(path)
    try:
        st = path.stat()
    except FileNotFoundError as exc:
        raise InputError("file not found", path=path) from exc
    except OSError as exc:
        raise DocumentError(f"cannot read file ({type(exc).__name__})", path=path) from exc
    if not stat.S_ISREG(st.st_mode):
        # a FIFO blocks on open and /dev/zero never ends (its size reads as 0): never open them
        raise UnsupportedFormatError("not a regular file (a directory, device or pipe)", path=path)
    size = st.st_size
    if size > max_bytes:
        raise InputTooLargeError(
            f"file is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:.0f} MB limit", path=path
        )
    try:
        with open(path, "rb") as fh:
            return fh.read(max_bytes + 1)  # the file may grow after stat(): read_bytes refuses it
    except OSError as exc:
        raise DocumentError(f"cannot read file ({type(exc).__name__})", path=path) from exc


def read_bytes(
    data: bytes,
    *,
    name: str | None = None,
    suffix: str = "",
    max_bytes: int = MAX_BYTES,
    max_pages: int = MAX_PAGES,
) -> DocumentText:
    """Read a document given as bytes; ``name`` is used in error messages only."""
    if len(data) > max_bytes:
        raise InputTooLargeError(
            f"input is {len(data) / 1e6:.1f} MB, over the {max_bytes / 1e6:.0f} MB limit",
            path=name,
        )
    if not data.strip():
        raise EmptyInputError("file is empty", path=name)
    if data[:5] == b"%PDF-" or (suffix == ".pdf" and b"%PDF-" in data[:1024]):
        return _read_pdf(data, name=name, max_pages=max_pages)
    if data[:4] == b"PK\x03\x04":
        return _read_docx(data, name=name)
    if suffix in (".pdf", ".docx"):
        raise DocumentError(f"not a valid {suffix[1:].upper()} file (corrupt?)", path=name)
    if suffix == ".doc" or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise UnsupportedFormatError(
            "legacy Word .doc is not supported; save it as .docx or .pdf", path=name
        )
    if suffix and suffix not in SUPPORTED_SUFFIXES:
        if _looks_binary(data):
            raise UnsupportedFormatError(
                f"unsupported format {suffix!r}; use .txt, .md, .pdf or .docx", path=name
            )
    warnings: tuple[str, ...] = ()
    codec = _bomless_utf16(data)
    if codec is not None:
        text = data.decode(codec, errors="replace")
    else:
        nuls = data.count(0)
        stray = nuls and nuls <= max(16, len(data) // 1000)
        if stray and not _looks_binary(data.replace(b"\0", b"")):
            # a stray NUL (a bad export, a copy and paste) in what is otherwise plain text
            data = data.replace(b"\0", b"")
            warnings = (f"{nuls} NUL byte(s) removed from the text",)
        if _looks_binary(data):
            raise UnsupportedFormatError("binary content, not text, PDF or DOCX", path=name)
        text = decode_bytes(data)
    if not text.strip():
        raise EmptyInputError("file has no text", path=name)
    return DocumentText(text=text, format="text", warnings=warnings)


def _bomless_utf16(data: bytes) -> str | None:
    """"utf-16-le" or "utf-16-be" for UTF-16 text written without a byte-order mark: most ASCII
    characters then have a NUL on one side, none on the other. None for anything else."""
    sample = data[:65536]
    if len(sample) < 8 or sample[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return None
    sample = sample[: len(sample) // 2 * 2]
    even, odd = sample[0::2], sample[1::2]
    half = len(sample) // 2
    for codec, zeros, other in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if zeros.count(0) >= 0.6 * half and other.count(0) <= 0.02 * half:
            try:
                text = sample.decode(codec)
            except UnicodeDecodeError:
                continue
            controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f")
            if controls <= max(2, len(text) // 100):
                return codec
    return None


def _looks_binary(data: bytes) -> bool:
    """NUL bytes or many control characters: not a text file."""
    sample = data[:65536]
    if sample[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return False  # UTF-16 text has NULs
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return controls > max(8, len(sample) // 100)


# --------------------------------------------------------------------------- PDF


def _is_white(color: tuple[float, ...] | None) -> bool:
    if not color:
        return False
    if len(color) == 1:
        return color[0] >= 0.95
    if len(color) == 3:
        return min(color) >= 0.95
    if len(color) == 4:  # CMYK: white is no ink
        return max(color) <= 0.05
    return False


def _read_pdf(data: bytes, *, name: str | None, max_pages: int) -> DocumentText:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    pdf_log = logging.getLogger("pypdf")
    old_level = pdf_log.level
    pdf_log.setLevel(logging.ERROR)  # pypdf warns loudly on harmless quirks
    try:
        try:
            reader = PdfReader(io.BytesIO(data), strict=False)
        except Exception as exc:  # pypdf raises many types on corrupt input
            raise DocumentError(f"corrupt PDF ({type(exc).__name__})", path=name) from exc
        if reader.is_encrypted:
            try:
                ok = reader.decrypt("")
            except Exception as exc:
                raise DocumentError(
                    "password-protected PDF cannot be read", path=name
                ) from exc
            if not ok:
                raise DocumentError("password-protected PDF cannot be read", path=name)
        try:
            pages = reader.pages
            n_pages = len(pages)
        except (PdfReadError, Exception) as exc:
            raise DocumentError(f"corrupt PDF ({type(exc).__name__})", path=name) from exc
        warnings: list[str] = []
        if n_pages > max_pages:
            warnings.append(f"PDF has {n_pages} pages; only the first {max_pages} were read")
        texts: list[str] = []
        hidden: list[str] = []
        failed = oversized = 0
        complete = True
        deadline = min(budget.clock() + MAX_PDF_SECONDS, budget.deadline())
        for i in range(min(n_pages, max_pages)):
            if budget.clock() > deadline:
                complete = False
                budget.check("reading PDF pages")  # the file's budget, when it is what ran out
                warnings.append(
                    f"PDF reading stopped after {MAX_PDF_SECONDS:.0f} s: pages {i + 1}-"
                    f"{min(n_pages, max_pages)} were not read"
                )
                break
            try:
                if _content_size(pages[i]) > MAX_PAGE_CONTENT:
                    oversized += 1
                    continue
                page_text, page_hidden, laid_out = _pdf_page_text(pages[i], deadline)
            except _OutOfTime:
                complete = False
                budget.check("reading PDF pages")
                warnings.append(f"PDF reading stopped after {MAX_PDF_SECONDS:.0f} s (page {i + 1})")
                break
            except Exception as exc:  # one bad page must not lose the others
                log.debug("page %d of %s unreadable: %s", i + 1, name, exc)
                failed += 1
                continue
            texts.append(page_text)
            hidden.extend(page_hidden)
            complete = complete and laid_out
        if failed:
            warnings.append(f"{failed} PDF page(s) could not be read")
        if oversized:
            warnings.append(
                f"{oversized} PDF page(s) skipped: content over {MAX_PAGE_CONTENT:,} bytes"
            )
    finally:
        pdf_log.setLevel(old_level)
    text = "\n".join(texts)
    if not text.strip() and any("PDF reading stopped" in w for w in warnings):
        raise InputTooLargeError(
            f"PDF text could not be extracted within {MAX_PDF_SECONDS:.0f} s", path=name
        )
    if not text.strip() and oversized:
        raise InputTooLargeError(
            f"PDF page content is over {MAX_PAGE_CONTENT:,} bytes (an operator flood?)", path=name
        )
    if not text.strip():
        raise DocumentError(
            "PDF has no text layer (scanned image?); OCR is not supported", path=name
        )
    hidden_text = _merge_hidden(hidden)
    if hidden_text:
        n = sum(len(h) for h in hidden_text)
        warnings.append(
            f"hidden text: {n} characters in white, invisible or tiny print (kept in text, "
            "listed in hidden_text)"
        )
    return DocumentText(text=text, format="pdf", pages=n_pages, hidden_text=hidden_text,
                        warnings=tuple(warnings), complete=complete)


class _OutOfTime(Exception):
    """The PDF's time budget ran out inside a page."""


def _content_size(page: object) -> int:
    """Decompressed size of a page's content stream(s) (pypdf caps inflation at 75 MB)."""
    contents = page.get_contents()  # type: ignore[attr-defined]
    return 0 if contents is None else len(contents.get_data())


def _pdf_page_text(
    page: object, deadline: float = float("inf")
) -> tuple[str, list[str], bool]:
    """Text of one page, the parts drawn invisibly (white fill, render mode 3, < 1 pt), and
    whether layout reading ran (False when the time budget left it out)."""
    state: dict[str, Any] = {"fill": None, "mode": 0}
    stack: list[dict[str, Any]] = []
    chunks: list[tuple[bool, str]] = []
    ops = [0]

    def before(op: bytes, args: list[object], cm: object, tm: object) -> None:
        ops[0] += 1
        if not ops[0] & 0x3FF and budget.clock() > deadline:
            raise _OutOfTime
        if op == b"q":
            stack.append(dict(state))
        elif op == b"Q" and stack:
            state.update(stack.pop())
        elif op in (b"g", b"rg", b"k"):
            try:
                state["fill"] = tuple(float(a) for a in args)  # type: ignore[arg-type]
            except (TypeError, ValueError):
                state["fill"] = None
        elif op in (b"sc", b"scn"):
            try:
                state["fill"] = tuple(float(a) for a in args if isinstance(a, (int, float)))
            except (TypeError, ValueError):
                state["fill"] = None
        elif op == b"Tr" and args:
            try:
                state["mode"] = int(args[0])  # type: ignore[call-overload]
            except (TypeError, ValueError):
                state["mode"] = 0

    def on_text(text: str, cm: object, tm: object, font: object, size: float) -> None:
        if not text.strip():
            if chunks:
                chunks.append((chunks[-1][0], text))
            return
        scale = 1.0
        try:
            scale = abs(float(tm[0]) * float(cm[0])) or 1.0  # type: ignore[index]
        except (TypeError, ValueError, IndexError):
            pass
        tiny = 0 < (size or 0) * scale < 1.0
        invisible = _is_white(state["fill"]) or state["mode"] == 3 or tiny
        chunks.append((invisible, text))

    started = budget.clock()
    text = page.extract_text(  # type: ignore[attr-defined]
        visitor_operand_before=before, visitor_text=on_text
    )
    # layout mode cannot be stopped inside a page and costs about twice the plain pass: it runs
    # only when that fits in the budget, so a slow page keeps its plain text instead
    now = budget.clock()
    laid_out = now + 3 * (now - started) <= deadline
    if laid_out:
        text = _layout_text(page, text or "")
    # consecutive invisible chunks form one hidden span
    hidden: list[str] = []
    current: list[str] = []
    for invisible, chunk in chunks + [(False, "")]:
        if invisible:
            current.append(chunk)
        elif current:
            hidden.append(" ".join(c.strip() for c in current if c.strip()))
            current = []
    return text or "", hidden, laid_out


#: A run of this many spaces inside a line of layout text separates columns, not words.
_COLUMN_GAP = re.compile(r" {6,}")


def _layout_text(page: object, plain: str) -> str:
    """The page's text line by line as it is laid out; ``plain`` when layout reading fails.

    pypdf's plain extraction follows the content stream, and resume builders draw every word on
    its own, so "09/2015 to Current Consultant Company Name" comes out one token per line and a
    job loses its title. Layout mode groups text by its position on the page, as pdftotext does.
    Its fixed-width output pads columns with spaces: a wide gap becomes " | " (a skills grid or a
    right-aligned date stays apart from its neighbour), a narrow one a single space (justified
    text), and indentation is dropped. Rotated text is kept, so nothing drawn on the page is lost;
    when layout mode still reads much less than plain mode, the plain text is kept.
    """
    try:
        layout = page.extract_text(  # type: ignore[attr-defined]
            extraction_mode="layout", layout_mode_space_vertically=False,
            layout_mode_strip_rotated=False,
        )
    except Exception as exc:  # pypdf calls layout mode experimental; plain text still stands
        log.debug("layout extraction failed: %s", exc)
        return plain
    lines = []
    for line in (layout or "").split("\n"):
        line = _COLUMN_GAP.sub(" | ", line.strip())
        lines.append(re.sub(r" {2,}", " ", line))
    text = "\n".join(lines).strip("\n")

    def letters(s: str) -> int:
        return sum(1 for c in s if c.isalnum())

    return text if letters(text) >= 0.9 * letters(plain) else plain


def _merge_hidden(parts: list[str]) -> tuple[str, ...]:
    """Hidden spans with whitespace tidied; empty ones dropped."""
    spans = (re.sub(r"\s+", " ", p).strip() for p in parts)
    return tuple(s for s in spans if s)


# --------------------------------------------------------------------------- DOCX


def _check_zip(data: bytes, *, name: str | None) -> None:
    """Refuse zip bombs before python-docx inflates anything."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            if len(infos) > 2000:
                raise InputTooLargeError(f"DOCX has {len(infos)} parts (zip bomb?)", path=name)
            total = sum(i.file_size for i in infos)
            if total > MAX_UNCOMPRESSED:
                raise InputTooLargeError(
                    f"DOCX would inflate to {total / 1e6:.0f} MB (zip bomb?)", path=name
                )
            for i in infos:
                if i.file_size > MAX_DOCX_PART and i.filename.endswith(".xml"):
                    raise InputTooLargeError(
                        f"DOCX part {i.filename} is {i.file_size / 1e6:.0f} MB of XML; the limit "
                        f"is {MAX_DOCX_PART / 1e6:.0f} MB (per-file memory budget)", path=name
                    )
                if i.file_size > 1_000_000 and i.compress_size and (
                    i.file_size / i.compress_size > MAX_RATIO
                ):
                    raise InputTooLargeError(
                        "DOCX part compressed more than "
                        f"{MAX_RATIO}:1 (zip bomb?)", path=name
                    )
            names = {i.filename for i in infos}
    except zipfile.BadZipFile as exc:
        raise DocumentError("corrupt DOCX (bad zip archive)", path=name) from exc
    except InputError:
        raise
    except Exception as exc:  # zipfile also raises NotImplementedError, ValueError, EOFError ...
        raise DocumentError(f"corrupt DOCX ({type(exc).__name__})", path=name) from exc
    if "word/document.xml" not in names:
        raise UnsupportedFormatError("zip archive is not a Word .docx document", path=name)


def _read_docx(data: bytes, *, name: str | None) -> DocumentText:
    _check_zip(data, name=name)
    try:
        import docx
        from docx.opc.exceptions import PackageNotFoundError
    except ImportError as exc:  # pragma: no cover - core dependency
        from matcher.errors import MissingDependencyError

        raise MissingDependencyError("python-docx", "core") from exc
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise DocumentError(f"corrupt DOCX ({type(exc).__name__})", path=name) from exc
    except Exception as exc:  # lxml errors and the like
        raise DocumentError(f"corrupt DOCX ({type(exc).__name__})", path=name) from exc
    lines: list[str] = []
    hidden: list[str] = []
    try:
        for group in _docx_lines(document):
            budget.check("reading DOCX paragraphs")
            lines.append(" | ".join(p.text.strip() for p in group) if len(group) > 1
                         else group[0].text)
            for para in group:
                hidden_runs = [r.text for r in para.runs if r.text.strip() and _run_hidden(r)]
                if hidden_runs:
                    hidden.append(" ".join(hidden_runs))
    except MatcherError:
        raise
    except Exception as exc:
        raise DocumentError(f"corrupt DOCX ({type(exc).__name__})", path=name) from exc
    text = "\n".join(lines)
    if not text.strip():
        raise EmptyInputError("DOCX has no text", path=name)
    warnings: list[str] = []
    hidden_text = tuple(h.strip() for h in hidden if h.strip())
    if hidden_text:
        n = sum(len(h) for h in hidden_text)
        warnings.append(
            f"hidden text: {n} characters in white, hidden or tiny print (kept in text, "
            "listed in hidden_text)"
        )
    return DocumentText(text=text, format="docx", hidden_text=hidden_text,
                        warnings=tuple(warnings))


def _docx_lines(document: Any) -> list[list[Any]]:
    """Paragraphs in document order, body and tables (Europass CVs use tables).

    A table row whose cells each hold one short paragraph becomes one line ("English | C1 | B2"),
    so grids stay readable; other cells give their paragraphs line by line.
    """
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    out: list[list[Any]] = []
    body = document.element.body
    for child in body.iterchildren():
        budget.check("reading DOCX paragraphs")
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            out.append([Paragraph(child, document)])
        elif tag == "tbl":
            table = Table(child, document)
            for row in table.rows:
                budget.check("reading DOCX tables")
                seen: set[int] = set()
                cells = []
                for cell in row.cells:
                    if id(cell._tc) in seen:  # merged cells repeat
                        continue
                    seen.add(id(cell._tc))
                    cells.append(cell)
                paras = [[p for p in c.paragraphs if p.text.strip()] for c in cells]
                paras = [ps for ps in paras if ps]
                if paras and all(len(ps) == 1 and len(ps[0].text) < 60 for ps in paras):
                    out.append([ps[0] for ps in paras])
                else:
                    for ps in paras:
                        out.extend([p] for p in ps)
    return out


def _run_hidden(run: object) -> bool:
    font = run.font  # type: ignore[attr-defined]
    if font.hidden:
        return True
    try:
        rgb = font.color.rgb if font.color is not None and font.color.type is not None else None
    except (AttributeError, ValueError):
        rgb = None
    if rgb is not None and str(rgb).upper() in ("FFFFFF", "FEFEFE", "FDFDFD"):
        return True
    return font.size is not None and font.size.pt < 2
