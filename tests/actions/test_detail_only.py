from __future__ import annotations

import pytest

from actions.detail_only import ActionDetailOnly
from tests.support.trackers import DOMAIN, make_tracker, responses


@pytest.mark.parametrize("language", ["tr", "pl"])
async def test_a_detail_out_of_the_blue_asks_what_the_buyer_needs(dispatcher, language):
    tracker = make_tracker({"language": language}, text="siyah olan, 42 numara", intent="inform")
    assert await ActionDetailOnly().run(dispatcher, tracker, DOMAIN) == []
    assert responses(dispatcher) == ["utter_detail_what_next"]


async def test_inside_a_form_the_detail_is_only_acknowledged(dispatcher):
    tracker = make_tracker(
        {"language": "pl"}, text="ta czarna kurtka", intent="inform", active_loop="order_tracking_form"
    )
    await ActionDetailOnly().run(dispatcher, tracker, DOMAIN)
    assert responses(dispatcher) == ["utter_detail_noted"]
