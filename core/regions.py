"""Kemendagri region codes: ``35`` (provinsi), ``35.07`` (kabupaten/kota), ``35.07.01``
(kecamatan), ``35.07.01.2001`` (desa/kelurahan)."""


def level_of(code: str) -> int:
    """1 = provinsi … 4 = desa, read from the code itself (one level per dotted part)."""
    return code.count(".") + 1


def normalise_code(raw) -> str:
    """``3507012001`` or ``35.07.01.2001`` → dotted form; anything else is returned stripped."""
    text = str(raw).strip().replace(" ", "")
    digits = text.replace(".", "")
    if not digits.isdigit() or len(digits) > 10:
        return text
    pieces = []
    start = 0
    for end in (2, 4, 6, 10):
        if len(digits) <= start:
            break
        pieces.append(digits[start:end])
        start = end
    return ".".join(pieces)
