"""Sticker tokens and label codes."""

from app.models.sticker_codes import ALPHABET, format_label_code, new_label_code, new_qr_token
from qr.codes import normalize_label_code, sticker_url


def test_tokens_are_80_random_bits_in_uppercase_crockford():
    tokens = {new_qr_token() for _ in range(2000)}
    assert len(tokens) == 2000
    assert all(len(t) == 16 and set(t) <= set(ALPHABET) for t in tokens)


def test_sticker_urls_fit_the_qr_alphanumeric_mode():
    url = sticker_url("https://service.example.com/", new_qr_token())
    assert set(url) <= set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")
    assert url.startswith("HTTPS://SERVICE.EXAMPLE.COM/U/")


def test_label_codes_read_back_however_they_are_typed():
    for _ in range(500):
        code = new_label_code()
        printed = format_label_code(code)
        assert len(printed) == 11 and printed[4] == printed[9] == "-"
        sloppy = " " + printed.lower().replace("0", "o").replace("1", "l") + " "
        assert normalize_label_code(sloppy) == code, sloppy


def test_every_single_mistyped_symbol_is_caught():
    for _ in range(50):
        code = new_label_code()
        for position in range(len(code)):
            for wrong in ALPHABET:
                if wrong != code[position]:
                    typo = code[:position] + wrong + code[position + 1 :]
                    assert normalize_label_code(typo) is None, (code, typo)


def test_codes_of_the_wrong_length_or_alphabet_are_refused():
    assert normalize_label_code("ABCD-EFGH") is None
    assert normalize_label_code("ABCD-EFGH-JK") is None
    assert normalize_label_code("ABCD-EFGH-$") is None


def test_sticker_urls_uppercase_scheme_and_host_but_keep_a_path_prefix():
    token = new_qr_token()
    assert sticker_url("http://127.0.0.1:5000", token) == f"HTTP://127.0.0.1:5000/U/{token}"
    prefixed = sticker_url("https://Service.Example.com/hvac-Office/", token)
    assert prefixed == f"HTTPS://SERVICE.EXAMPLE.COM/hvac-Office/U/{token}"
