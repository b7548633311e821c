"""Properties of the seller-message moderation that must hold for any message.

Examples show the rules work on messages someone thought of; these generate the ones
nobody did: arbitrary text (no exception may reach the buyer as a 500), order numbers
and tracking codes dropped into ordinary questions (never a phone number), and valid
phone numbers spaced out every which way (always one).
"""

from __future__ import annotations

import phonenumbers
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from api.support.moderation import REASONS, check
from evaluation.moderation import load

ALLOWED = [(e.language, e.text) for e in load() if not e.expected]
LANGUAGES = st.sampled_from(["tr", "pl"])
PROFILE = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Characters the normaliser and the scanners treat specially, to reach their corners.
TRICKY = st.lists(
    st.sampled_from(
        [
            *"0123456789 .-+()/:,@*#_'oOlI|!$abcdeiklmnoprstuwyz",
            *"şığüöçąęłńśżźİ",
            *[
                "\u200b",
                "\u200d",
                "\ufeff",
                "\u00ad",
                "а",
                "е",
                "о",
                "р",
                "с",
                "һ",
                "０",
                "５",
                "＠",
                "\ufe0f",
                "\u20e3",
            ],
            *[" nokta ", " kropka ", " at ", " małpa ", " sıfır ", " beş ", " yüz ", " pięćset ", " zero "],
        ]
    ),
    max_size=120,
).map("".join)


def _digits(n: int) -> st.SearchStrategy[str]:
    return st.text(alphabet="0123456789", min_size=n, max_size=n)


ORDER_NUMBERS = st.one_of(
    st.builds(lambda m, d: f"{m}{d}", st.sampled_from(["TR", "PL", "tr", "pl"]), _digits(8)),
    st.builds(lambda m, d: f"{m} {d}", st.sampled_from(["TR", "PL"]), _digits(8)),
    st.builds(lambda m, d: f"{m}-{d}", st.sampled_from(["TR", "PL"]), _digits(8)),
)
# UPU S10 codes (YK804215573TR), InPost's 24 digits, Poczta Polska's 20 digits.
TRACKING_CODES = st.one_of(
    st.builds(
        lambda a, d, c: f"{a}{d}{c}",
        st.text(alphabet="ABCDEFGHIJKLMNOPRSTUVYZ", min_size=2, max_size=2),
        _digits(9),
        st.sampled_from(["TR", "PL", "CN", "DE"]),
    ),
    st.builds(lambda d: "52" + d, _digits(22)),
    st.builds(lambda d: "00" + d, _digits(18)),
)

TR_MOBILE = st.builds(lambda p, d: "5" + p + d, st.sampled_from(["0", "3", "4", "5"]), _digits(8))
PL_MOBILE = st.builds(
    lambda p, d: p + d,
    st.sampled_from(["50", "51", "53", "57", "60", "66", "69", "72", "73", "78", "79", "88"]),
    _digits(7),
)
TR_LANDLINE = st.builds(lambda a, d: a + d, st.sampled_from(["212", "216", "312", "232", "242", "850"]), _digits(7))
PL_LANDLINE = st.builds(lambda a, d: a + d, st.sampled_from(["22", "12", "58", "61", "71", "42"]), _digits(7))


@st.composite
def phone_numbers(draw: st.DrawFn) -> tuple[str, str]:
    """(language, digits as they would be typed): national, with trunk 0, or with +90/+48/00."""
    language = draw(LANGUAGES)
    if language == "tr":
        national = draw(st.one_of(TR_MOBILE, TR_LANDLINE))
        prefix = draw(st.sampled_from(["0", "", "+90", "0090", "90"]))
        if not prefix and not national.startswith("5"):
            prefix = "0"  # a Turkish landline is written with its trunk 0 or country code
        region = "TR"
    else:
        national = draw(st.one_of(PL_MOBILE, PL_LANDLINE))
        prefix = draw(st.sampled_from(["", "+48", "0048"]))
        region = "PL"
    assume(phonenumbers.is_valid_number(phonenumbers.parse(national, region)))
    return language, prefix + national


@st.composite
def spaced(draw: st.DrawFn, number: str) -> str:
    """The number cut into groups of 1-4 digits joined by the separators people use."""
    plus = number.startswith("+")
    digits = number.lstrip("+")
    groups = []
    while digits:
        size = draw(st.integers(1, 4))
        groups.append(digits[:size])
        digits = digits[size:]
    separators = st.sampled_from([" ", "  ", "-", ".", " - ", "/", " . ", "\u200b"])
    text = groups[0]
    for group in groups[1:]:
        text += draw(separators) + group
    if draw(st.booleans()) and len(groups) > 1:
        text = "(" + groups[0] + ") " + text[len(groups[0]) :].lstrip(" -./\u200b")
    return ("+" if plus else "") + text


def _insert(text: str, piece: str, position: int) -> str:
    words = text.split(" ")
    position %= len(words) + 1
    return " ".join([*words[:position], piece, *words[position:]])


@PROFILE
@given(st.one_of(st.text(max_size=300), TRICKY), st.one_of(LANGUAGES, st.text(max_size=3)))
def test_never_raises_and_answers_known_reasons(text, language):
    reasons = check(text, language)
    assert isinstance(reasons, list)
    assert set(reasons) <= set(REASONS)
    assert reasons == sorted(set(reasons), key=REASONS.index)


@PROFILE
@given(st.sampled_from(ALLOWED), st.one_of(ORDER_NUMBERS, TRACKING_CODES), st.integers(0, 1000))
def test_order_numbers_and_tracking_codes_are_not_phone_numbers(message, code, position):
    language, text = message
    assert "phone_number" not in check(_insert(text, code, position), language)


@PROFILE
@given(st.sampled_from(ALLOWED), phone_numbers(), st.integers(0, 1000), st.data())
def test_a_phone_number_however_spaced_is_always_found(message, phone, position, data):
    _, text = message
    language, number = phone
    written = data.draw(spaced(number))
    reasons = check(_insert(text, written, position), language)
    # Written right beside other digit groups, the number can merge into a bank account number
    # ("50 0000 0000" + "6200 0123 4567 8901 2345 6789" is a 26-digit Polish account): refused too.
    words = text.split(" ")
    at = position % (len(words) + 1)
    beside_digits = any(w[:1].isdigit() or w[-1:].isdigit() for w in words[max(at - 1, 0) : at + 1])
    assert "phone_number" in reasons or (beside_digits and "off_platform" in reasons), (written, reasons)


@PROFILE
@given(st.one_of(st.sampled_from([t for _, t in ALLOWED]), TRICKY, st.text(max_size=200)), LANGUAGES)
def test_deterministic(text, language):
    first = check(text, language)
    assert check(text, language) == first
    assert check(str(text), language) == first
