import pytest

from api.commerce.order_numbers import normalise


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("TR48213907", "TR48213907"),
        ("tr48213907", "TR48213907"),
        ("TR 48213907", "TR48213907"),
        ("pl-30571246", "PL30571246"),
        ("  PL30571246 ", "PL30571246"),
        ("TR4821390", None),
        ("TR482139071", None),
        ("DE48213907", None),
        ("48213907", None),
        ("", None),
    ],
)
def test_normalise(typed, expected):
    assert normalise(typed) == expected
