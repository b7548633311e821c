"""The shared text features: digits by shape, folding, and a model that survives saving."""

from __future__ import annotations

import pytest

from bot.nlu import linear_text


def test_shape_keeps_letters_and_zeroes_digits():
    assert linear_text.shape("TR-48210936, 12.11'de 1.249,90 TL") == "TR-00000000, 00.00'de 0.000,00 TL"


@pytest.mark.parametrize("folding", [True, False])
def test_prepare_folds_only_when_configured(folding):
    prepared = linear_text.prepare("SİPARİŞİM 12", {"fold": folding})
    assert (prepared == "siparisim 00") is folding


def test_saved_model_loads_with_the_same_predictions(tmp_path):
    config = linear_text.DEFAULT_CONFIG
    model = linear_text.build_pipeline(config).fit(["kargom nerede", "gdzie paczka", "iade", "zwrot"], [0, 0, 1, 1])
    linear_text.dump(model, tmp_path / "m.skops")
    loaded = linear_text.load(tmp_path / "m.skops")
    assert (loaded.predict_proba(["paczka"]) == model.predict_proba(["paczka"])).all()


def test_loaded_weights_are_laid_out_for_copy_free_scoring(tmp_path):
    """One message is scored as X @ coef_.T: a C-contiguous transpose means no copy of the weights."""
    texts = ["kargom nerede", "gdzie paczka", "iade etmek istiyorum", "zwrot towaru", "kodum calismiyor", "kod padl"]
    model = linear_text.build_pipeline(linear_text.DEFAULT_CONFIG).fit(texts, [0, 0, 1, 1, 2, 2])
    assert not model.steps[-1][1].coef_.T.flags["C_CONTIGUOUS"]  # as training leaves it
    linear_text.dump(model, tmp_path / "m.skops")
    loaded = linear_text.load(tmp_path / "m.skops")
    assert loaded.steps[-1][1].coef_.T.flags["C_CONTIGUOUS"]
    for text in ("paczka nerede", "kod iade", "zwrot"):
        assert (loaded.predict_proba([text]) == model.predict_proba([text])).all()
