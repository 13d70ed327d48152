"""Bad input to the PDF extractors and the LeyesBiblio parser: one clear error naming the file.

The bad files are written here (never committed): a hand-written minimal PDF with real
text, the same with a standard-security /Encrypt dictionary (RC4, revision 2, a user
password), a PDF whose pages carry no text (a scan), a truncated and a corrupted copy of a
real LeyesBiblio PDF, an empty file and a Word 97 file renamed .pdf.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from lawgraph.errors import ExtractionError, InputError, ParseError
from lawgraph.ingest.extract import get_extractor
from lawgraph.ingest.leyesbiblio import parse_pdf

EXTRACTORS = ["pdfium", "pdfplumber"]

# The 32-byte padding string of the PDF standard security handler (ISO 32000-1, 7.6.3.3).
_PAD = bytes.fromhex(
    "28bf4e5e4e758a4164004e56fffa01082e2e00b6d0683e802f0ca9fe6453697a"
)


def _rc4(key: bytes, data: bytes) -> bytes:
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) % 256
        s[i], s[j] = s[j], s[i]
    out = bytearray()
    i = j = 0
    for b in data:
        i = (i + 1) % 256
        j = (j + s[i]) % 256
        s[i], s[j] = s[j], s[i]
        out.append(b ^ s[(s[i] + s[j]) % 256])
    return bytes(out)


def _encrypt_dict(user_pw: bytes, owner_pw: bytes, file_id: bytes) -> bytes:
    """/Encrypt dictionary of the standard handler, R2 / 40-bit RC4 (algorithms 3, 2, 4)."""
    pad = lambda pw: (pw + _PAD)[:32]  # noqa: E731
    o = _rc4(hashlib.md5(pad(owner_pw)).digest()[:5], pad(user_pw))
    p = -44  # print + copy allowed
    key = hashlib.md5(pad(user_pw) + o + p.to_bytes(4, "little", signed=True) + file_id).digest()[:5]
    u = _rc4(key, _PAD)
    return (b"<< /Filter /Standard /V 1 /R 2 /O <" + o.hex().encode() + b"> /U <"
            + u.hex().encode() + b"> /P " + str(p).encode() + b" >>")


def minimal_pdf(pages: list[list[str]], encrypt_user_password: bytes | None = None) -> bytes:
    """A small valid PDF with one Helvetica text line per string (ASCII only)."""
    objs: list[bytes] = []
    n_pages = len(pages)
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(n_pages))
    objs.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objs.append(f"<< /Type /Pages /Kids [{kids}] /Count {n_pages} >>".encode())
    font_obj = 3 + 2 * n_pages
    for i, lines in enumerate(pages):
        ops = ["BT /F1 11 Tf 72 740 Td 14 TL"]
        for ln in lines:
            esc = ln.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
            ops.append(f"({esc}) Tj T*")
        ops.append("ET")
        stream = "\n".join(ops).encode() if lines else b""
        objs.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources "
                    f"<< /Font << /F1 {font_obj} 0 R >> >> /Contents {4 + 2 * i} 0 R >>".encode())
        objs.append(b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream
                    + b"\nendstream")
    objs.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    file_id = hashlib.md5(b"lawgraph test").digest()
    encrypt_ref = b""
    if encrypt_user_password is not None:
        objs.append(_encrypt_dict(encrypt_user_password, b"propietario", file_id))
        encrypt_ref = f" /Encrypt {len(objs)} 0 R".encode()
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for k, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += f"{k} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += (f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R".encode() + encrypt_ref
            + b" /ID [<" + file_id.hex().encode() + b"> <" + file_id.hex().encode() + b">] >>\n"
            + f"startxref\n{xref}\n%%EOF\n".encode())
    return bytes(out)


NOT_A_LAW = [[
    "Informe anual de actividades de la biblioteca municipal",
    "Durante el ejercicio se catalogaron mil doscientos volumenes nuevos.",
    "La sala de lectura recibio visitas de estudiantes y personas adultas.",
]] * 2


@pytest.fixture()
def small_real_pdf(corpora: Path) -> Path:
    return corpora / "laws" / "federal_bajalabs_2025-08" / "LGIMH_static.pdf"


def _assert_names(exc: InputError, path: Path, *words: str) -> None:
    assert exc.path == str(path)
    assert str(path) in str(exc)
    msg = exc.problem.lower()
    assert any(w in msg for w in words), exc.problem


@pytest.mark.parametrize("name", EXTRACTORS)
def test_the_hand_written_pdf_is_read(tmp_path: Path, name: str):
    # guards the builder itself: the bad variants below differ only in what they break
    p = tmp_path / "informe.pdf"
    p.write_bytes(minimal_pdf(NOT_A_LAW))
    pages = get_extractor(name).pages(str(p))
    assert len(pages) == 2
    assert "biblioteca municipal" in pages[0].text


@pytest.mark.parametrize("name", EXTRACTORS)
def test_empty_file(tmp_path: Path, name: str):
    p = tmp_path / "vacio.pdf"
    p.write_bytes(b"")
    with pytest.raises(ExtractionError) as ei:
        get_extractor(name).pages(str(p))
    _assert_names(ei.value, p, "vacío")


@pytest.mark.parametrize("name", EXTRACTORS)
def test_word_file_renamed_pdf(tmp_path: Path, name: str):
    p = tmp_path / "ley.pdf"
    p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4096)
    with pytest.raises(ExtractionError) as ei:
        get_extractor(name).pages(str(p))
    _assert_names(ei.value, p, "word")


@pytest.mark.parametrize("name", EXTRACTORS)
def test_truncated_real_pdf(tmp_path: Path, small_real_pdf: Path, name: str):
    data = small_real_pdf.read_bytes()
    p = tmp_path / "truncado.pdf"
    p.write_bytes(data[: len(data) // 2])
    with pytest.raises(ExtractionError) as ei:
        get_extractor(name).pages(str(p))
    _assert_names(ei.value, p, "truncado", "dañado")


@pytest.mark.parametrize("name", EXTRACTORS)
def test_corrupted_real_pdf(tmp_path: Path, small_real_pdf: Path, name: str):
    # header and trailer intact, the body overwritten: opening or reading must fail cleanly
    data = bytearray(small_real_pdf.read_bytes())
    data[16: len(data) - 64] = b"\x00" * (len(data) - 80)
    p = tmp_path / "danado.pdf"
    p.write_bytes(bytes(data))
    with pytest.raises(ExtractionError) as ei:
        get_extractor(name).pages(str(p))
    _assert_names(ei.value, p, "dañado", "truncado", "texto")


@pytest.mark.parametrize("name", EXTRACTORS)
def test_encrypted_pdf(tmp_path: Path, name: str):
    p = tmp_path / "cifrado.pdf"
    p.write_bytes(minimal_pdf(NOT_A_LAW, encrypt_user_password=b"secreto"))
    with pytest.raises(ExtractionError) as ei:
        get_extractor(name).pages(str(p))
    _assert_names(ei.value, p, "cifrado")


@pytest.mark.parametrize("name", EXTRACTORS)
def test_pdf_without_text_layer(tmp_path: Path, name: str):
    p = tmp_path / "escaneado.pdf"
    p.write_bytes(minimal_pdf([[], [], []]))
    with pytest.raises(ExtractionError) as ei:
        get_extractor(name).pages(str(p))
    _assert_names(ei.value, p, "capa de texto", "escaneado")


def test_missing_file(tmp_path: Path):
    p = tmp_path / "no-existe.pdf"
    with pytest.raises(ExtractionError) as ei:
        get_extractor("pdfium").pages(str(p))
    _assert_names(ei.value, p, "no existe")


def test_a_pdf_that_is_not_a_law_is_a_parse_error(tmp_path: Path):
    p = tmp_path / "informe.pdf"
    p.write_bytes(minimal_pdf(NOT_A_LAW))
    with pytest.raises(ParseError) as ei:
        parse_pdf(p)
    _assert_names(ei.value, p, "artículo")


def test_unknown_extractor_name():
    from lawgraph.errors import ConfigError

    with pytest.raises(ConfigError):
        get_extractor("tesseract")
