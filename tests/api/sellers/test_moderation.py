"""What a seller may write to a buyer: the buyer-side rules, no marketing, no private price offers,
while plain answers about carriers, prices and repairs pass."""

from __future__ import annotations

import pytest

from api.sellers.moderation import REASONS, check


@pytest.mark.parametrize(
    ("language", "text", "reasons"),
    [
        ("tr", "İNDİRİM KODU: YENI20 ile sonraki siparişinizde %20 indirim!", ["marketing"]),
        ("tr", "Mağazamızı ziyaret edin, yeni sezon ürünlerimiz geldi", ["marketing"]),
        ("tr", "Diğer ürünlerimize de göz atın, bültenimize abone olun", ["marketing"]),
        ("tr", "Size özel kampanya: kupon kodu HOSGELDIN", ["marketing"]),
        ("tr", "1ndir1m k0du veriyorum", ["marketing"]),
        ("tr", "Size 50 TL indirim yaparım, 200 liraya bırakırım.", ["bargaining"]),
        ("tr", "Daha ucuza veririm", ["bargaining"]),
        ("tr", "Beni 0532 123 45 67'den arayın", ["phone_number"]),
        ("tr", "IBAN'a gönderin, elden de olur", ["off_platform"]),
        ("pl", "Mamy dla Pana kod rabatowy na kolejne zakupy!", ["marketing"]),
        ("pl", "Zapraszamy do naszego sklepu, nowa kolekcja już dostępna", ["marketing"]),
        ("pl", "Zapisz się na newsletter i obserwuj nasz profil", ["marketing"]),
        ("pl", "Wielka wyprzedaż w naszym sklepie!", ["marketing"]),
        ("pl", "Możemy obniżyć cenę o 50 zł.", ["bargaining"]),
        ("pl", "Dam Panu rabat 10%.", ["bargaining"]),
        ("pl", "Oddam to za 100 zł", ["bargaining"]),
        ("pl", "Follow us, use promo code SALE", ["marketing"]),
        ("pl", "Ty idioto", ["insult"]),
    ],
)
def test_refused(language, text, reasons):
    assert check(text, language) == reasons


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("tr", "Siparişiniz yarın Aras Kargo ile gönderilecek, takip numarasıyla kargonuzu takip edebilirsiniz."),
        ("tr", "Maalesef indirim yapamıyoruz, fiyat platformdaki gibidir."),
        ("tr", "İade ürününüz bize ulaştı, incelemeden sonra para iadesi başlatılacak."),
        ("tr", "Ürün orijinaldir ve 2 yıl garantilidir. Beden tablosu ürün sayfasında yer alıyor."),
        ("tr", "Ürün kampanya döneminde alındığı için fiyat farkı iadesi yapılamıyor."),
        ("tr", "Onarım tamamlandı, ürün yarın DHL ile yola çıkacak."),
        ("pl", "Paczka została wysłana przez InPost, numer przesyłki znajdzie Pan w zamówieniu."),
        ("pl", "Niestety nie możemy obniżyć ceny."),
        ("pl", "Rabat nie przysługuje, cena jest ostateczna."),
        ("pl", "Produkt był w promocji. Status zamówienia można obserwować w aplikacji."),
        ("pl", "Otrzymaliśmy zwrot, naprawa zostanie rozpoczęta jutro, a produkt wyślemy przez DPD."),
        ("pl", "Możemy wysłać produkt zastępczy jutro."),
    ],
)
def test_allowed(language, text):
    assert check(text, language) == []


def test_every_reason_has_a_text_in_both_languages():
    from api.sellers.texts import REASONS as TEXTS

    for reason in REASONS:
        assert TEXTS[reason]["tr"] and TEXTS[reason]["pl"], reason
    assert "carrier_request" not in REASONS  # naming the platform's carrier is information, not a request
