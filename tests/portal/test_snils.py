"""The СНИЛС checksum at its edges: under 100 it is the sum, 100 and 101 give 00, above
that the sum modulo 101 (where 100 gives 00 again); numbers up to 001-001-998 carry none."""

import pytest
from django.core.exceptions import ValidationError

from portal.accounts.snils import (
    SNILS_CHECKSUM,
    SNILS_FORMAT,
    snils_checksum,
    snils_display,
    snils_normalise,
)

# Nine digits whose weighted sum (weights 9..1) is the one named, and the checksum it gives.
CASES = [
    ("001239570", 99, 99),  # under 100: the sum itself
    ("001326679", 100, 0),
    ("001508816", 101, 0),
    ("001437545", 102, 1),  # above 101: modulo 101
    ("017996174", 201, 0),  # modulo 101 gives 100, which is written 00
    ("006996683", 202, 0),  # modulo 101 gives 0
    ("112233445", 95, 95),  # the example the form shows
]


@pytest.mark.parametrize(("nine", "total", "checksum"), CASES)
def test_the_checksum_at_each_edge(nine, total, checksum):
    assert sum(int(d) * w for d, w in zip(nine, range(9, 0, -1), strict=True)) == total
    assert snils_checksum(nine + "00") == checksum
    assert snils_normalise(f"{nine}{checksum:02d}") == f"{nine}{checksum:02d}"


@pytest.mark.parametrize(("nine", "total", "checksum"), CASES)
def test_every_other_checksum_is_refused(nine, total, checksum):
    for wrong in {(checksum + 1) % 100, (checksum + 99) % 100, 100 % 100 + 1}:
        if wrong == checksum:
            continue
        with pytest.raises(ValidationError) as error:
            snils_normalise(f"{nine}{wrong:02d}")
        assert error.value.code == "snils_checksum"
        assert error.value.messages == [str(SNILS_CHECKSUM)]


def test_numbers_issued_before_checksums_are_taken_as_they_are():
    assert snils_normalise("001-001-998 42") == "00100199842"
    # The next number has a checksum, and 42 is not it.
    assert snils_checksum("00100199900") == 65
    with pytest.raises(ValidationError) as error:
        snils_normalise("001-001-999 42")
    assert error.value.code == "snils_checksum"
    assert snils_normalise("001-001-999 65") == "00100199965"


@pytest.mark.parametrize(
    "raw",
    # Ten, twelve, a letter, other digits than 0-9 (full-width, Arabic-Indic), underscores.
    [
        "1122334459",
        "112233445955",
        "112-233-445 9x",
        "１１２２３３４４５９５",
        "١١٢٢٣٣٤٤٥٩٥",
        "112_233_445_95",
    ],
)
def test_anything_but_eleven_digits_is_a_format_error(raw):
    with pytest.raises(ValidationError) as error:
        snils_normalise(raw)
    assert error.value.code == "snils_format"
    assert error.value.messages == [str(SNILS_FORMAT)]


def test_spaces_and_dashes_anywhere_and_an_empty_value():
    assert snils_normalise("  112 233-445-95 ") == "11223344595"
    assert snils_normalise("") == "" and snils_normalise(None) == ""  # type: ignore[arg-type]
    assert snils_display("11223344595") == "112-233-445 95"
    assert snils_display("123") == "123"
