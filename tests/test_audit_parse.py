"""Reading report texts and the Dutch and English number forms (sofs_lib.audit.parse)."""

from __future__ import annotations

import pytest

from sofs_lib.audit.parse import document_from_text, parse_count, parse_number, read_document
from sofs_lib.errors import SofsInputError


@pytest.mark.parametrize(
    ("text", "value", "decimals"),
    [
        (",006", 0.006, 3),
        (".001", 0.001, 3),
        ("0,04", 0.04, 2),
        ("10,15", 10.15, 2),
        ("41.83", 41.83, 2),
        ("-3,33", -3.33, 2),
        ("−2,659", -2.659, 3),
        ("– 2.11", -2.11, 2),
        ("1.234,5", 1234.5, 1),
        ("1,234.5", 1234.5, 1),
        ("12", 12.0, 0),
    ],
)
def test_number_forms_of_both_conventions_are_read(text, value, decimals):
    num = parse_number(text)
    assert num.value == pytest.approx(value)
    assert num.decimals == decimals


def test_half_unit_is_the_rounding_allowance_of_the_last_printed_digit():
    assert parse_number("28,4").half_unit == pytest.approx(0.05)
    assert parse_number(",006").half_unit == pytest.approx(0.0005)


@pytest.mark.parametrize("text", ["", "abc", "1,2,3", "-"])
def test_text_that_is_no_number_raises_value_error(text):
    with pytest.raises(ValueError):
        parse_number(text)


@pytest.mark.parametrize(("text", "value"), [("1.872", 1872), ("1872", 1872), ("368", 368)])
def test_counts_read_the_dutch_thousands_separator(text, value):
    assert parse_count(text) == value


def test_statement_over_a_line_break_is_one_string_with_its_first_line():
    doc = document_from_text("eerste regel\nmeer (X2(2)\n\n= 1.71, p = 0.42) einde")
    start = doc.flat.index("X2")
    assert doc.line_of(start) == 2
    assert "X2(2) = 1.71, p = 0.42" in doc.snippet(start, start + 40)


def test_markdown_table_pipes_become_columns(tmp_path):
    path = tmp_path / "r.md"
    path.write_text("| Geslacht | n (%) |\n|---|---|\n| **Jongen** | 64 (53,3%) |\n", "utf-8")
    doc = read_document(path)
    assert "Jongen  64 (53,3%)" in doc.lines


def test_windows_1252_text_is_read(tmp_path):
    path = tmp_path / "r.txt"
    path.write_bytes("Het verschil is significant (p = ,03) voor één groep.".encode("cp1252"))
    assert "één" in read_document(path).flat


def test_utf16_with_bom_is_read(tmp_path):
    path = tmp_path / "r.txt"
    path.write_bytes("t(48) = 2,31, p = ,025".encode("utf-16"))
    assert "t(48)" in read_document(path).flat


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"  \n\n ", "empty"),
        (b"\x00\x01\x02binary\x00", "binary"),
        (b"%PDF-1.7\n...", "PDF"),
        (b"\x81\x8d\x8f\x90\x9d abc", "encoding"),
    ],
)
def test_unusable_files_raise_one_plain_message(tmp_path, content, message):
    path = tmp_path / "r.txt"
    path.write_bytes(content)
    with pytest.raises(SofsInputError, match=message):
        read_document(path)


def test_missing_file_and_folder_raise_plain_messages(tmp_path):
    with pytest.raises(SofsInputError, match="not found"):
        read_document(tmp_path / "nope.txt")
    with pytest.raises(SofsInputError, match="folder"):
        read_document(tmp_path)
