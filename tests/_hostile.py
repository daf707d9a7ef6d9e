"""Factories of hostile inputs for the fuzzing suite (tests/test_fuzz.py, tests/fuzz_atheris.py).

Each returns bytes built on the fly: nothing hostile is stored in the repository.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

# --------------------------------------------------------------------------- text

VACANCY_FRAGMENTS = (
    "Background:",
    "Tasks and Responsibilities:",
    "Necessary Qualifications:",
    "Additional Information",
    "Requisition ID: SEC000847",
    "Closing Date: 2025-01-31",
    "Deadline for application:",
    "Education:",
    "Experience:",
    "Mandatory:",
    "Desirable:",
    "Opening 13",
    "•",
    "- ",
    "*",
    ";",
    "\n",
    "\n\n",
    "\t",
    "  ",
    "a first-level university degree in combination with two additional years",
    "in lieu of the second-level university degree",
    "Minimum of two years (four years with a relevant first-level degree)",
    "at least five years at the management level",
    "eight years of experience in the criminal justice system",
    "Professional fluency in English; knowledge of other official OSCE languages",
    "fluency in English or French would be an asset",
    "proficient in at least two of: English, Spanish, French and Portuguese",
    "(((",
    ")))",
    "[..](#)",
    "**",
    "OSCEโ€™s",
    "ð\x9f\x98\x80",
    "\u200b",
    "\u202e",
    "\ufeff",
)

CV_FRAGMENTS = (
    "Curriculum Vitae",
    "Name: Jane Example",
    "E-mail: jane@example.org",
    "Phone: +43 1 234 5678",
    "Date of birth: 12.04.1990",
    "Nationality: Ruritanian",
    "Gender: female",
    "Education",
    "Formation",
    "Ausbildung",
    "Образование",
    "Work experience",
    "Expérience professionnelle",
    "Berufserfahrung",
    "Опыт работы",
    "Languages",
    "Langues",
    "Sprachen",
    "Языки",
    "Master of Arts in International Relations",
    "BSc Economics",
    "Laurea magistrale",
    "Кандидат наук",
    "Jan 2019 – present",
    "2015–2018",
    "03/2017 – 06/2020",
    "03.2017 - 06.2020",
    "since 2020",
    "depuis 2019",
    "seit 2018",
    "сентябрь 2018 – настоящее время",
    "(50%)",
    "part-time",
    "English (C1)",
    "Russian – native",
    "French: fluent",
    "German B2",
    "Mother tongue(s):",
    "Understanding Speaking Writing",
    "C2 C1 B2",
    "\n",
    "\n\n",
    "•",
    "|",
    "\t",
    "\u200b",
    "\u202e",
    "\u0430",  # Cyrillic a
    "9999–0000",
    "13/2099 - 00/0000",
    "1900 – 2999",
)

ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
#: Latin letters and a Cyrillic/Greek look-alike for each
HOMOGLYPHS = {
    "a": "\u0430",
    "c": "\u0441",
    "e": "\u0435",
    "o": "\u043e",
    "p": "\u0440",
    "x": "\u0445",
    "y": "\u0443",
    "A": "\u0391",
    "B": "\u0392",
    "E": "\u0395",
    "M": "\u039c",
    "T": "\u03a4",
}


def zero_width_stuffed(text: str) -> str:
    """A zero-width character between every pair of letters."""
    return ZERO_WIDTH[0].join(text)


def rtl_override(text: str) -> str:
    """Each line wrapped in a right-to-left override, reversed so it displays normally."""
    return "\n".join("\u202e" + line[::-1] + "\u202c" for line in text.splitlines())


def homoglyph_stuffed(text: str) -> str:
    """Latin letters swapped for look-alikes (keyword stuffing that evades filters)."""
    return "".join(HOMOGLYPHS.get(ch, ch) for ch in text)


def zalgo(text: str, marks: int = 200) -> str:
    """Each letter buried under combining marks."""
    return "".join(ch + "\u0301\u0316\u0338" * (marks // 3) for ch in text)


def deep_nesting(depth: int = 20_000, lines: int = 1000) -> str:
    """Brackets, bullets and indentation nested very deep."""
    return (
        "Tasks and Responsibilities:\n"
        + "(" * depth
        + "duty"
        + ")" * depth
        + "\n"
        + "".join("  " * (i % 100) + f"• sub-duty level {i}\n" for i in range(lines))
        + "[" * depth
        + "\n"
    )


def single_line(
    n_bytes: int = 10 * 1024 * 1024, *, fragments: tuple[str, ...] = VACANCY_FRAGMENTS
) -> str:
    """About ``n_bytes`` of vacancy-like text with no newline at all."""
    unit = " ".join(f for f in fragments if "\n" not in f) + " "
    return (unit * (n_bytes // len(unit.encode("utf-8")) + 1))[: n_bytes // 2] + "x" * (
        n_bytes // 2
    )


# --------------------------------------------------------------------------- DOCX


_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def docx_bytes(body_xml: str, *, prolog: str = "") -> bytes:
    """A minimal valid DOCX whose body is ``body_xml`` (raw WordprocessingML)."""
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        + prolog
        + f'<w:document xmlns:w="{_W}"><w:body>{body_xml}</w:body></w:document>'
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", _CONTENT_TYPES)
        zf.writestr("_rels/.rels", _RELS)
        zf.writestr("word/document.xml", document)
    return buf.getvalue()


def docx_paragraphs(lines: list[str], *, hidden: bool = False, white: bool = False) -> bytes:
    from xml.sax.saxutils import escape

    props = ""
    if hidden:
        props += "<w:vanish/>"
    if white:
        props += '<w:color w:val="FFFFFF"/>'
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    body = "".join(
        f'<w:p><w:r>{rpr}<w:t xml:space="preserve">{escape(_xml_safe(line))}</w:t></w:r></w:p>'
        for line in lines
    )
    return docx_bytes(body)


def _xml_safe(text: str) -> str:
    return "".join(
        ch
        for ch in text
        if ch in "\t\n\r"
        or (0x20 <= ord(ch) <= 0xD7FF)
        or (0xE000 <= ord(ch) <= 0xFFFD)
        or ord(ch) >= 0x10000
    )


def docx_zip_bomb(inflated: int = 1 << 30) -> bytes:
    """A DOCX whose document.xml inflates to ``inflated`` bytes (1 GiB by default, ~1 MB zipped).

    Built with a streaming compressor: constant memory.
    """
    head = f'<?xml version="1.0"?><w:document xmlns:w="{_W}"><w:body><w:p><w:r><w:t>'
    tail = "</w:t></w:r></w:p></w:body></w:document>"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", _CONTENT_TYPES)
        zf.writestr("_rels/.rels", _RELS)
        with zf.open("word/document.xml", "w", force_zip64=True) as fh:
            fh.write(head.encode())
            chunk = b"A" * (1 << 20)
            for _ in range(inflated // len(chunk)):
                fh.write(chunk)
            fh.write(tail.encode())
    return buf.getvalue()


def docx_lying_sizes(inflated: int = 300 << 20) -> bytes:
    """A zip bomb whose headers declare a tiny size (fools a declared-size check)."""
    data = bytearray(docx_zip_bomb(inflated))
    declared = 1000
    # patch the central directory and local header sizes of word/document.xml
    name = b"word/document.xml"
    pos = 0
    while True:
        pos = data.find(b"PK\x01\x02", pos)
        if pos < 0:
            break
        name_len = struct.unpack_from("<H", data, pos + 28)[0]
        if bytes(data[pos + 46 : pos + 46 + name_len]) == name:
            struct.pack_into("<I", data, pos + 24, declared)  # uncompressed size
            extra_len = struct.unpack_from("<H", data, pos + 30)[0]
            extra = pos + 46 + name_len
            # zip64 extra field: (header id 1, size, uncompressed, compressed ...)
            end = extra + extra_len
            e = extra
            while e + 4 <= end:
                hid, size = struct.unpack_from("<HH", data, e)
                if hid == 1 and size >= 8:
                    struct.pack_into("<Q", data, e + 4, declared)
                e += 4 + size
        pos += 4
    return bytes(data)


def docx_nested_tables(depth: int = 60) -> bytes:
    """Tables inside tables inside tables."""
    inner = "<w:p><w:r><w:t>Master of Arts, 2010</w:t></w:r></w:p>"
    for _ in range(depth):
        inner = f"<w:tbl><w:tr><w:tc>{inner}<w:p/></w:tc></w:tr></w:tbl>"
    return docx_bytes(inner + "<w:p><w:r><w:t>Education</w:t></w:r></w:p>")


def docx_billion_laughs() -> bytes:
    """An XML entity-expansion bomb in document.xml."""
    ents = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">' for i in range(1, 10)
    )
    prolog = f"<!DOCTYPE w:document [{ents}]>"
    return docx_bytes("<w:p><w:r><w:t>&lol9;</w:t></w:r></w:p>", prolog=prolog)


def docx_many_parts(n: int = 5000) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("[Content_Types].xml", _CONTENT_TYPES)
        zf.writestr("_rels/.rels", _RELS)
        zf.writestr("word/document.xml", f'<w:document xmlns:w="{_W}"><w:body/></w:document>')
        for i in range(n):
            zf.writestr(f"word/media/x{i}.bin", b"")
    return buf.getvalue()


# --------------------------------------------------------------------------- PDF


def _pdf_from_streams(
    streams: list[bytes],
    *,
    compress: bool = False,
    precompressed: bool = False,
    shared: bool = False,
) -> bytes:
    """A minimal hand-written PDF: one page per content stream, Helvetica, correct xref.

    ``precompressed``: the streams are already FlateDecode data; ``shared``: every page draws the
    first stream.
    """
    objects: list[bytes] = []
    n_pages = len(streams)
    # 1 catalog, 2 pages, 3 font, then page i at 4 + 2i and its stream at 5 + 2i
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(n_pages))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {n_pages} >>".encode())
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    for i, stream in enumerate(streams):
        contents = 5 if shared else 5 + 2 * i
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {contents} 0 R "
            "/Resources << /Font << /F1 3 0 R >> >> >>".encode()
        )
        body = zlib.compress(stream, 9) if compress else stream
        flate = " /Filter /FlateDecode" if (compress or precompressed) else ""
        objects.append(
            f"<< /Length {len(body)}{flate} >>\nstream\n".encode() + body + b"\nendstream"
        )
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, obj in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{i} 0 obj\n".encode() + obj + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for off in offsets:
        out.write(f"{off:010d} 00000 n \n".encode())
    out.write(
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()


def _pdf_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def pdf_text_page(
    lines: list[str],
    *,
    mode: int = 0,
    rgb: tuple[float, float, float] = (0, 0, 0),
    size: float = 11,
) -> bytes:
    ops = [f"BT /F1 {size} Tf {rgb[0]} {rgb[1]} {rgb[2]} rg {mode} Tr 50 800 Td 14 TL"]
    for line in lines:
        safe = line.encode("latin-1", "replace").decode("latin-1")
        ops.append(f"({_pdf_escape(safe)}) Tj T*")
    ops.append("ET")
    return "\n".join(ops).encode("latin-1")


def pdf_document(pages: list[list[str]], **kwargs: object) -> bytes:
    return _pdf_from_streams([pdf_text_page(p, **kwargs) for p in pages])  # type: ignore[arg-type]


def pdf_many_pages(n: int = 5000) -> bytes:
    """Thousands of pages, each with a line of text (pages share no objects)."""
    return _pdf_from_streams(
        [pdf_text_page([f"Page {i}: Master of Arts, Jan 2019 - present"]) for i in range(n)]
    )


def pdf_invisible_text(visible: list[str], invisible: list[str]) -> bytes:
    """Visible lines, then the same page again drawn in render mode 3 and in white."""
    stream = (
        pdf_text_page(visible)
        + b"\n"
        + pdf_text_page(invisible, mode=3)
        + b"\n"
        + pdf_text_page(invisible, rgb=(1, 1, 1))
        + b"\n"
        + pdf_text_page(invisible, size=0.5)
    )
    return _pdf_from_streams([stream])


def pdf_operator_flood(n_ops: int = 2_000_000) -> bytes:
    """One page whose (compressed) content stream holds millions of text operators."""
    ops = b"BT /F1 1 Tf " + b"(a) Tj 1 0 Td " * n_ops + b"ET"
    return _pdf_from_streams([ops], compress=True)


def pdf_stream_bomb(inflated: int = 500 << 20) -> bytes:
    """A FlateDecode content stream that inflates to ``inflated`` bytes of spaces."""
    comp = zlib.compressobj(9)
    parts = []
    chunk = b" " * (1 << 20)
    for _ in range(inflated // len(chunk)):
        parts.append(comp.compress(chunk))
    parts.append(comp.flush())
    return _pdf_from_streams([b"".join(parts)], precompressed=True)


def pdf_page_tree_loop() -> bytes:
    """A page tree whose /Kids point back at itself."""
    pdf = _pdf_from_streams([b"BT /F1 12 Tf 50 800 Td (Education) Tj ET"])
    return pdf.replace(b"/Kids [4 0 R]", b"/Kids [2 0 R]")


def pdf_shared_flood(n_pages: int = 40, n_ops: int = 1_000_000) -> bytes:
    """Many pages that all draw one small compressed stream of a million text operators."""
    flood = zlib.compress(b"BT /F1 9 Tf " + b"(x) Tj 1 0 Td " * n_ops + b"ET", 9)
    return _pdf_from_streams([flood] * n_pages, precompressed=True, shared=True)


def docx_zip_version(version: int = 64) -> bytes:
    """A DOCX whose central directory asks for a zip version Python cannot extract."""
    data = bytearray(docx_paragraphs(["Education", "MA 2010"]))
    pos = 0
    while (pos := data.find(b"PK\x01\x02", pos)) >= 0:
        struct.pack_into("<H", data, pos + 6, version)  # version needed to extract
        pos += 4
    return bytes(data)


# --------------------------------------------------------------------------- caches


def damage_cache(path: str, how: str) -> None:
    """Damage the SQLite file at ``path`` (closed) the way an attacker or a bad disk would."""
    import os
    import random

    rng = random.Random(7)
    data = bytearray(open(path, "rb").read())  # noqa: SIM115 - small file, read at once
    if how == "garbage header":
        data[:7] = b"GARBAGE"
    elif how == "random middle page":
        page = 16384
        middle = max(1, len(data) // page // 2) * page
        data[middle : middle + page] = rng.randbytes(page)
    elif how == "random file":
        data = bytearray(rng.randbytes(len(data)))
    elif how == "truncated":
        data = data[: len(data) // 3]
    else:
        raise ValueError(how)
    for suffix in ("-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    with open(path, "wb") as f:
        f.write(bytes(data))


def docx_under_caps(xml_bytes: int = 95 * 1024 * 1024, seed: int = 7) -> bytes:
    """A DOCX whose document.xml is ``xml_bytes`` of ordinary paragraphs: under the file-size,
    part-count, total-inflation and compression-ratio caps (about 11:1: 95 MB of XML is an 8.6 MB
    file), so only a per-file time and memory budget (or a per-part XML cap) stops it."""
    import random

    rng = random.Random(seed)
    words = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(3, 9)))
             for _ in range(600)]
    # the run and paragraph properties of a real document: what makes its XML compress ~11:1
    para = (
        '<w:p><w:pPr><w:spacing w:before="0" w:after="0"/><w:ind w:left="0"/></w:pPr><w:r><w:rPr>'
        '<w:rFonts w:ascii="Calibri" w:hAnsi="Calibri"/><w:sz w:val="22"/><w:szCs w:val="22"/>'
        '</w:rPr><w:t xml:space="preserve">'
    )
    head = f'<?xml version="1.0"?><w:document xmlns:w="{_W}"><w:body>'
    tail = "</w:body></w:document>"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", _CONTENT_TYPES)
        zf.writestr("_rels/.rels", _RELS)
        with zf.open("word/document.xml", "w", force_zip64=True) as f:
            f.write(head.encode())
            written = len(head)
            while written < xml_bytes - len(tail):
                block = "".join(
                    para + " ".join(rng.choices(words, k=8)) + ".</w:t></w:r></w:p>"
                    for _ in range(2000)
                ).encode()
                f.write(block)
                written += len(block)
            f.write(tail.encode())
    return buf.getvalue()
