from actions.formatting import format_datetime, format_items, format_money
from tests.support.trackers import words


def test_money_follows_each_market():
    assert format_money("1299.9", "TRY", "tr") == "1.299,90 TL"
    assert format_money("1299.9", "PLN", "pl").replace("\u00a0", " ") == "1 299,90 zł"


def test_times_are_shown_in_the_markets_zone():
    # 21:30 UTC is already the next day in Istanbul (UTC+3) but not in Warsaw (UTC+1).
    assert format_datetime("2026-11-21T21:30:00+00:00", "TR") == "22.11.2026 00:30"
    assert format_datetime("2026-11-21T21:30:00+00:00", "PL") == "21.11.2026 22:30"


def test_long_item_lists_are_shortened():
    assert format_items(["A", "B", "C", "D"], words("tr")) == "A, B ve 2 ürün daha"
    assert format_items(["A", "B", "C"], words("pl")) == "A, B i jeszcze 1"
