"""Build ``pii_labelled.yml``: buyer chat messages in Turkish and Polish, labelled with the personal data in them.

Run ``.venv/bin/python -m evaluation.build_pii_labelled`` to regenerate (deterministic).

Why generated: card numbers, T.C. kimlik numbers, PESELs and IBANs in the set must really
pass their checksums (and look-alikes must really fail them), so the values are computed
here (Luhn, the TCKN and PESEL rules, ISO 7064 mod 97) and each one is checked against
python-stdnum / phonenumbers before it is written. The message wording is hand-written;
only the numbers are drawn. Each positive lists its values with their kind, so the
evaluation can score spans, not just strings.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import phonenumbers
import yaml
from stdnum import iban, luhn
from stdnum.pl import pesel
from stdnum.tr import tckimlik

OUT = Path(__file__).resolve().parent / "data" / "privacy" / "pii_labelled.yml"
rng = random.Random(20261130)


def digits(n: int) -> str:
    return "".join(str(rng.randrange(10)) for _ in range(n))


def groups(value: str, size: int = 4, sep: str = " ") -> str:
    return sep.join(value[i : i + size] for i in range(0, len(value), size))


# ---- values that pass their checksums -------------------------------------------------
def tckn() -> str:
    while True:
        d = [rng.randrange(1, 10)] + [rng.randrange(10) for _ in range(8)]
        d10 = ((d[0] + d[2] + d[4] + d[6] + d[8]) * 7 - (d[1] + d[3] + d[5] + d[7])) % 10
        d11 = (sum(d) + d10) % 10
        value = "".join(map(str, [*d, d10, d11]))
        assert tckimlik.is_valid(value)
        if not pesel.is_valid(value):  # one kind per value keeps the labels unambiguous
            return value


def pesel_number() -> str:
    while True:
        born = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 55))
        month = born.month + (20 if born.year >= 2000 else 0)
        head = f"{born.year % 100:02d}{month:02d}{born.day:02d}{digits(4)}"
        check = (10 - sum(w * int(c) for w, c in zip((1, 3, 7, 9, 1, 3, 7, 9, 1, 3), head, strict=True)) % 10) % 10
        value = head + str(check)
        assert pesel.is_valid(value)
        if not tckimlik.is_valid(value):
            return value


# Mostly 16-digit Visa/Mastercard/Troy as buyers have them; an Amex and an old 13-digit Visa now and then.
CARD_PREFIXES = [("4", 16)] * 4 + [("51", 16), ("55", 16), ("2221", 16), ("9792", 16), ("37", 15), ("4", 13)]


def card(prefix: str | None = None, length: int = 16) -> str:
    if prefix is None:
        prefix, length = rng.choice(CARD_PREFIXES)
    body = prefix + digits(length - len(prefix) - 1)
    value = body + luhn.calc_check_digit(body)
    assert luhn.is_valid(value)
    return value


def iban_number(country: str) -> str:
    bban = {"TR": lambda: digits(5) + "0" + digits(16), "PL": lambda: digits(24), "DE": lambda: digits(18)}[country]()
    value = country + iban.calc_check_digits(country + "00" + bban) + bban
    assert iban.is_valid(value), value
    return value


def phone(region: str) -> str:
    """A valid national significant number (TR 10 digits, PL 9)."""
    prefixes = {
        "TR": ["530", "532", "535", "536", "541", "542", "505", "506", "552", "555", "212", "216", "312"],
        "PL": ["501", "512", "535", "577", "601", "602", "661", "691", "724", "731", "788", "795", "881"],
    }[region]
    while True:
        value = rng.choice(prefixes) + digits(7 if region == "TR" else 6)
        if phonenumbers.is_valid_number(phonenumbers.parse(value, region)):
            return value


def tr_phone_text() -> str:
    n = phone("TR")
    a, b, c, d = n[:3], n[3:6], n[6:8], n[8:]
    return rng.choice(
        [
            f"0{a} {b} {c} {d}",
            f"0 {a} {b} {c} {d}",
            f"+90 {a} {b} {c} {d}",
            f"0{n}",
            f"{a} {b} {c} {d}",
            f"(0{a}) {b} {c} {d}",
            f"0{a}-{b}-{c}-{d}",
            " ".join(n),
            f"+90({a}){b}{c}{d}",
            f"0{a} {b}{c}{d}",
        ]
    )


def pl_phone_text() -> str:
    n = phone("PL")
    a, b, c = n[:3], n[3:6], n[6:]
    return rng.choice(
        [
            f"{a} {b} {c}",
            f"{a}-{b}-{c}",
            f"+48 {a} {b} {c}",
            f"+48{n}",
            f"0048 {a} {b} {c}",
            n,
            " ".join(n),
            f"(+48) {a} {b} {c}",
            f"+48 {a}-{b}-{c}",
        ]
    )


def card_text() -> str:
    value = card()
    if len(value) == 15:
        return rng.choice([value, f"{value[:4]} {value[4:10]} {value[10:]}"])
    return rng.choice([groups(value), groups(value, sep="-"), value, groups(value)])


def iban_text(country: str) -> str:
    value = iban_number(country)
    return rng.choice([groups(value), value, groups(value)])


_TR_EMAILS = [
    "ayse.yilmaz@gmail.com",
    "mehmet_kaya84@hotmail.com",
    "ali (at) gmail (dot) com",
    "zeynep.demir [at] yandex [dot] com",
    "burak at hotmail nokta com",
    "elif.sahin@outlook.com.tr",
    "can1990 (at) icloud (nokta) com",
    "fatma.ozturk@mynet.com",
]
_PL_EMAILS = [
    "jan.kowalski@wp.pl",
    "anna.nowak (małpa) onet (kropka) pl",
    "kasia at o2 kropka pl",
    "piotr.wisniewski@interia.pl",
    "m.zielinska [at] gmail [dot] com",
    "tomek_88@gazeta.pl",
    "ola.lewandowska@op.pl",
    "krzysztof (at) poczta (kropka) onet (kropka) pl",
]
TR_EMAILS, PL_EMAILS = iter(_TR_EMAILS), iter(_PL_EMAILS)  # each address is used once


# ---- look-alikes that are not personal data ---------------------------------------------
def order(market: str) -> str:
    n = digits(8)
    return rng.choice([f"{market}{n}", f"{market.lower()}{n}", f"{market}-{n}", f"{market} {n}"])


def bad_luhn_card() -> str:
    value = card("4", 16)
    wrong = value[:-1] + str((int(value[-1]) + rng.randrange(1, 10)) % 10)
    assert not luhn.is_valid(wrong)
    return groups(wrong)


def bad_national_id() -> str:
    while True:
        value = str(rng.randrange(1, 10)) + digits(10)
        if value.startswith("48") or tckimlik.is_valid(value) or pesel.is_valid(value):
            continue
        return value


def bad_iban(country: str) -> str:
    value = iban_number(country)
    wrong = value[:2] + f"{(int(value[2:4]) + rng.randrange(1, 90)) % 97 + 2:02d}" + value[4:]
    assert not iban.is_valid(wrong)
    return groups(wrong)


NEGATIVE = {
    "order_tr": lambda: order("TR"),
    "order_pl": lambda: order("PL"),
    "yurtici": lambda: "YK" + digits(9) + "TR",
    "ups": lambda: "1Z999AA1" + digits(8) + str(rng.randrange(10)),
    "aras": lambda: digits(13),
    "yurtici_digits": lambda: digits(12),
    "hepsijet": lambda: "HJ" + digits(10),
    "inpost": lambda: "6" + digits(23),
    "dpd": lambda: "1000" + digits(9) + rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ"),
    "poczta": lambda: "PX" + digits(9) + "PL",
    "poczta_digits": lambda: "00659" + digits(15),
    "return_tr": lambda: f"RET-TR-{rng.randrange(1, 999999):06d}",
    "return_pl": lambda: f"RET-PL-{rng.randrange(1, 999999):06d}",
    "ticket_tr": lambda: f"TR-2611{rng.randrange(10, 30)}-{rng.randrange(1, 200):04d}",
    "ticket_pl": lambda: f"PL-2611{rng.randrange(10, 30)}-{rng.randrange(1, 200):04d}",
    "bad_card": bad_luhn_card,
    "bad_id": bad_national_id,
    "bad_iban_tr": lambda: bad_iban("TR"),
    "bad_iban_pl": lambda: bad_iban("PL"),
}
POSITIVE = {
    "card": ("CARD", card_text),
    "tckn": ("TCKN", tckn),
    "pesel": ("PESEL", pesel_number),
    "iban_tr": ("IBAN", lambda: iban_text("TR")),
    "iban_pl": ("IBAN", lambda: iban_text("PL")),
    "iban_de": ("IBAN", lambda: iban_text("DE")),
    "phone_tr": ("PHONE", tr_phone_text),
    "phone_pl": ("PHONE", pl_phone_text),
    "email_tr": ("EMAIL", lambda: next(TR_EMAILS)),
    "email_pl": ("EMAIL", lambda: next(PL_EMAILS)),
    "nrb": ("IBAN", lambda: nrb()),
}


def nrb() -> str:
    """A Polish account number as Poles write it: 26 digits, no PL, spaced 2 + 6x4."""
    value = iban_number("PL")[2:]
    return value[:2] + " " + groups(value[2:])


TR = [
    # positives
    "Merhaba, kartımdan iki kez çekim yapıldı. Kart numaram {card}, lütfen kontrol eder misiniz?",
    "Ödeme sırasında hata aldım, {card} numaralı kartla denedim",
    "iade param hangi karta yatacak {card} bu karta mı",
    "kart no: {card} son kullanma 08/27",
    "Siparişim {order_tr} için {card} kartımdan 1.299,90 TL çekildi ama sipariş görünmüyor",
    "TC kimlik numaram {tckn}, faturayı bu numaraya kesin lütfen",
    "T.C. {tckn} adına kayıtlı hesabım kilitlendi",
    "kimlik no {tckn} doğrulama istiyorsunuz galiba",
    "Fatura için TCKN: {tckn}",
    "Hesabımı doğrulamak için TC'm {tckn} işinize yarar mı?",
    "{tckn} bu benim tc kimlik numaram, kargo neden gelmedi",
    "İadeyi IBAN'ıma yapın lütfen: {iban_tr}",
    "IBAN {iban_tr} Ayşe Yılmaz adına",
    "para iadesi için hesap bilgim {iban_tr}",
    "Cüzdandaki bakiyeyi şu hesaba aktarabilir misiniz {iban_tr}",
    "Almanya'daki hesabıma gönderin: {iban_de}",
    "Beni şu numaradan arayın: {phone_tr}",
    "telefonum {phone_tr} kurye aradığında ulaşamamış",
    "Kargo görevlisi {phone_tr} numarasını arasın lütfen",
    "cep {phone_tr}",
    "{phone_tr} numaralı telefondan ulaşabilirsiniz, akşam 6'dan sonra",
    "Satıcı bana {phone_tr} numarasından yazdı, bu normal mi?",
    "Whatsapp hattım {phone_tr}",
    "Siparişim {order_tr} teslim edilmedi, telefonum {phone_tr}",
    "ulaşamazsanız {phone_tr} ya da {phone_tr}",
    "acil dönüş yapın {phone_tr}",
    "E-posta adresim {email_tr}, faturayı oraya atın",
    "bana mail atın: {email_tr}",
    "Hesabıma {email_tr} ile giriş yapıyorum ama şifre gelmiyor",
    "mailim {email_tr} oradan da yazabilirsiniz",
    "Yeni e-postam {email_tr} olarak güncellensin",
    "fatura adresi için mail {email_tr} tel {phone_tr}",
    "{email_tr} adresine kod gelmedi, {order_tr} siparişim",
    "İade tutarı {iban_tr} hesabına, TC {tckn}",
    "kartım {card} iptal oldu, yeni kartla ödeme yapmak istiyorum",
    "Kartın son hali {card}, çekim 249,00 TL",
    "kimlik {tckn} telefon {phone_tr}",
    # look-alikes
    "Siparişim {order_tr} nerede kaldı? 3 gündür bekliyorum",
    "sipariş no {order_tr} iptal etmek istiyorum",
    "{order_tr} ve {order_tr} numaralı siparişlerim aynı kargoda mı?",
    "Kargo takip numarası {yurtici}, hâlâ dağıtıma çıkmadı",
    "takip no {ups} yurt dışından geliyor",
    "Aras kargo takip numarası {aras} görünmüyor",
    "Yurtiçi kargo takip {yurtici_digits} bir haftadır aynı yerde",
    "HepsiJET gönderi kodu {hepsijet}",
    "İade kodum {return_tr}, kargoya verdim",
    "Talep numaram {ticket_tr}, hâlâ dönüş yok",
    "1.299,90 TL ödedim ama ürün 999,90 TL'ye düştü",
    "₺3.450 tutarında iade bekliyorum, 12.05.2024 tarihinde iade ettim",
    "Ürün 15.11.2026 tarihinde teslim edildi görünüyor ama gelmedi",
    "34710 Kadıköy adresine teslim edilecekti",
    "Saat 14:30'da kurye geldi, 2 adet ürün eksik",
    "Kart numaram {bad_card} ama kabul etmedi",
    "TC no {bad_id} yazınca hata veriyor",
    "IBAN olarak {bad_iban_tr} yazdım, yanlış mı?",
    "iPhone 15 Pro 256 GB aldım, seri no F2LXK3ABC123",
    "Siparişimde 12 adet 2,5 kg deterjan vardı",
    "2024-05-12 tarihli faturada KDV 18% yazıyor",
    "Kampanya kodu YENIYIL2026 çalışmadı",
    "indirim 250 TL, sepet tutarı 2.499,00 TL",
    "ürün kodu 100234567 olan kulaklık",
    "Sipariş {order_tr} için iade kodu {return_tr} aldım",
    "RTX 4070 ekran kartı, model GV-N4070WF3OC-12GD",
    "Teslimat 3-5 iş günü dedi, 10.11.2026'dan beri bekliyorum",
    "Kargo 0 TL ama 39,99 TL kesilmiş",
]

PL = [
    # positives
    "Dzień dobry, pobrano mi dwa razy z karty {card}, proszę o sprawdzenie",
    "płaciłem kartą {card} i płatność nie przeszła",
    "numer karty {card}, zwrot ma wrócić na nią?",
    "Zwrot 249 zł ma iść na kartę {card}?",
    "karta {card} została zablokowana po zakupie",
    "Mój PESEL to {pesel}, proszę o fakturę imienną",
    "PESEL: {pesel}",
    "podaję pesel {pesel} do weryfikacji konta",
    "{pesel} to mój numer PESEL, konto jest zablokowane",
    "Weryfikacja tożsamości: PESEL {pesel}, zamówienie {order_pl}",
    "Proszę o zwrot na konto {nrb}",
    "numer konta do zwrotu: {nrb}",
    "Zwrot pieniędzy na IBAN {iban_pl}",
    "moje konto {iban_pl} Jan Kowalski",
    "Przelejcie środki z portfela na {iban_pl}",
    "konto w Niemczech: {iban_de}",
    "Proszę zadzwonić pod numer {phone_pl}",
    "mój telefon {phone_pl}, kurier nie mógł się dodzwonić",
    "Kurier może dzwonić na {phone_pl}",
    "tel. {phone_pl}",
    "{phone_pl} to mój numer, jestem dostępny po 17",
    "Sprzedawca napisał do mnie z numeru {phone_pl}, czy to w porządku?",
    "mój whatsapp {phone_pl}",
    "Zamówienie {order_pl} nie dotarło, mój numer {phone_pl}",
    "proszę o kontakt {phone_pl} albo {phone_pl}",
    "pilne, oddzwońcie {phone_pl}",
    "Mój e-mail to {email_pl}, proszę tam wysłać fakturę",
    "napiszcie na maila {email_pl}",
    "Loguję się przez {email_pl} ale nie przychodzi kod",
    "mail {email_pl}, można też tam pisać",
    "Proszę zmienić adres e-mail na {email_pl}",
    "faktura na maila {email_pl}, telefon {phone_pl}",
    "Na adres {email_pl} nie przyszło potwierdzenie zamówienia {order_pl}",
    "Zwrot na konto {nrb}, PESEL {pesel}",
    "karta {card} wygasła, chcę zapłacić nową",
    "obciążenie 1 299,00 zł z karty {card}",
    "pesel {pesel} telefon {phone_pl}",
    # look-alikes
    "Gdzie jest moja paczka {order_pl}? Czekam już 4 dni",
    "chcę anulować zamówienie {order_pl}",
    "zamówienia {order_pl} i {order_pl} przyszły w jednej paczce?",
    "Numer przesyłki InPost {inpost}, paczkomat pusty",
    "numer paczki DPD {dpd}",
    "Poczta Polska {poczta}, awizo bez próby doręczenia",
    "przesyłka {poczta_digits} utknęła w sortowni",
    "numer przesyłki {inpost} status bez zmian od tygodnia",
    "Kod zwrotu {return_pl}, paczka nadana",
    "Numer zgłoszenia {ticket_pl}, nadal brak odpowiedzi",
    "Zapłaciłem 1.299,90 zł a teraz cena to 999 zł",
    "Zwrot 249 zł miał być do 15 maja 2024",
    "dostarczono 12.05.2024 ale nic nie dostałem",
    "adres 00-950 Warszawa, ul. Marszałkowska 10/5",
    "Kurier był o 14:30, brakuje 2 sztuk",
    "Numer karty {bad_card} nie przechodzi",
    "PESEL {bad_id} wyświetla błąd",
    "IBAN {bad_iban_pl} odrzucony przez bank?",
    "Samsung QE55Q80C 55 cali, nr seryjny 0B7Y3CAT600123X",
    "zamówiłem 3 szt. po 2,5 kg",
    "faktura z dnia 2024-05-12, VAT 23%",
    "kod rabatowy LATO2026 nie działa",
    "rabat 50 zł, koszyk 2 499,00 zł",
    "kod produktu 100234567, słuchawki",
    "Zamówienie {order_pl}, kod zwrotu {return_pl}",
    "31-042 Kraków, paczkomat KRA01M",
    "Dostawa 2-3 dni robocze, czekam od 10.11.2026",
    "Dostawa 0 zł a pobrano 12,99 zł",
]


def render(template: str) -> dict:
    pii = []
    text = template
    while "{" in text:
        start = text.index("{")
        name = text[start + 1 : text.index("}", start)]
        if name in POSITIVE:
            kind, make = POSITIVE[name]
            value = make()
            pii.append({"kind": kind, "value": value})
        else:
            value = NEGATIVE[name]()
        text = text[:start] + value + text[start + len(name) + 2 :]
    for item in pii:
        assert text.count(item["value"]) == 1, (text, item)
    return {"text": text, "pii": pii}


# ---- glued to letters, dots, underscores, file extensions (ids ``tr-gNN`` / ``pl-gNN``) --------
# File names of uploaded photos and words typed without a space, as buyers send them. Drawn after
# the sets above, so adding these left every earlier value as it was.
def bad_card_plain() -> str:
    return bad_luhn_card().replace(" ", "")


POSITIVE.update(
    {
        "card_plain": ("CARD", lambda: card()),
        "iban_tr_plain": ("IBAN", lambda: iban_number("TR")),
        "iban_pl_plain": ("IBAN", lambda: iban_number("PL")),
        "nrb_plain": ("IBAN", lambda: iban_number("PL")[2:]),
        "phone_tr_plain": ("PHONE", lambda: "0" + phone("TR")),
        "phone_pl_plain": ("PHONE", lambda: phone("PL")),
    }
)
NEGATIVE.update(
    {
        "order_tr_plain": lambda: "TR" + digits(8),
        "order_pl_plain": lambda: "PL" + digits(8),
        "bad_card_plain": bad_card_plain,
        "stamp": lambda: (
            f"2026{rng.randrange(1, 13):02d}{rng.randrange(1, 29):02d}_"
            f"{rng.randrange(8, 22):02d}{rng.randrange(60):02d}{rng.randrange(60):02d}"
        ),
        "trendyol": lambda: str(rng.randrange(100_000_000, 999_999_999)),
    }
)

TR_GLUED = [
    # positives
    "dekontu yükledim dekont_{iban_tr_plain}.png",
    "kimlik fotoğrafını attım kimlik_{tckn}.jpg",
    "kartın fotosu foto.{card_plain}.jpg yükledim",
    "tc{tckn} adına kayıtlı sipariş neden iptal oldu",
    "kartım{card_plain}den iki kere çekildi",
    "TC{tckn} numaramla giriş yapamıyorum",
    "ekran_goruntusu_{card_plain}.png gonderdim bakar misiniz",
    "kimlikno{tckn} bunu da ekledim",
    "iban{iban_tr_plain} adima yatirin lutfen",
    "cep{phone_tr_plain} arayin",
    "tckimlik-{tckn}.jpeg dosyası yüklenmedi",
    "Kart_{card_plain}_arka.jpg ekledim",
    # look-alikes
    "kargo fotosu siparis_{order_tr_plain}.png",
    "IMG_{stamp}.jpg fotoğrafını ekledim, kutu ezik",
    "takip no {yurtici}.jpg diye kaydettim",
    "urun_kodu_{bad_id}.png yanlış ürün geldi",
    "kartim{bad_card_plain}.png bu kart geçmedi",
    "fatura_{order_tr_plain}_2026.pdf indiremiyorum",
    "ürün linki trendyol.com/apple/iphone-15-p-{trendyol}",
    "sepet 1.299,90TL kargo 39,99TL oldu",
]
PL_GLUED = [
    # positives
    "wysyłam zdjęcie dowodu pesel{pesel}zdj.png",
    "zdjęcie karty karta{card_plain}.png",
    "skan_dowodu_{pesel}.jpg w załączniku",
    "PESEL{pesel} - proszę o fakturę imienną",
    "potwierdzenie przelewu przelew_{iban_pl_plain}.png",
    "konto_{nrb_plain}.png tam proszę zwrot",
    "płaciłam mojakarta{card_plain} i nic",
    "zdjecie.{card_plain}.jpeg prosze sprawdzic",
    "tel{phone_pl_plain} po 17",
    "numer pesel_{pesel}",
    "płaciłem kartą{card_plain}, nie przeszło",
    "Karta-{card_plain}-przod.jpg dodałem",
    # look-alikes
    "zdjecie_paczki_{order_pl_plain}.jpg",
    "nr przesyłki inpost{inpost}",
    "Screenshot_{stamp}_Allegro.jpg",
    "paragon_1299,90zl.png",
    "pesel{bad_id} nie przechodzi",
    "zamowienie_{order_pl_plain}_zdj1.jpg uszkodzone",
    "faktura_FV-2026-11-0042.pdf nie otwiera się",
    "karta{bad_card_plain} odrzucona",
]


def build() -> list[dict]:
    cases = []
    for language, templates in (("tr", TR), ("pl", PL)):
        for i, template in enumerate(templates, start=1):
            case = render(template)
            cases.append({"id": f"{language}-{i:03d}", "lang": language, **case})
    for language, templates in (("tr", TR_GLUED), ("pl", PL_GLUED)):
        for i, template in enumerate(templates, start=1):
            case = render(template)
            cases.append({"id": f"{language}-g{i:02d}", "lang": language, **case})
    return cases


def main() -> None:
    cases = build()
    header = (
        "# Buyer chat messages labelled with the personal data in them (generated by\n"
        "# evaluation/build_pii_labelled.py: values computed to pass or fail their checksums).\n"
        "# pii: [] marks a look-alike that must come out unchanged.\n"
    )
    OUT.write_text(header + yaml.safe_dump(cases, allow_unicode=True, sort_keys=False, width=200), encoding="utf-8")
    positives = sum(1 for c in cases if c["pii"])
    print(f"wrote {len(cases)} cases ({positives} with personal data) to {OUT}")


if __name__ == "__main__":
    main()
