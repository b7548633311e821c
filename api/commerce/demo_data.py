"""Deterministic demo data for the commerce adapter: buyers, sellers, orders, shipments.

The assistant has to be demonstrable and testable without a real marketplace behind
it, and demos, end-to-end stories and unit tests all need the same buyers to have the
same orders. So :func:`generate` is a pure function of ``seed`` and ``today``: one
``random.Random(seed)``, no wall clock, no uuid4, no iteration over sets. A handful of
buyers are fixed fixtures (:data:`FIXTURE_BUYERS`) whose open orders tests rely on;
everybody else is random.

Times are made on the market's local clock (people order 07:00-23:00, couriers
deliver in daytime) and stored as timezone-aware UTC. Nothing happens after
``today`` 23:59 local time.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import string
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from api.commerce.models import Buyer, Order, OrderItem, Seller, Shipment, ShipmentEvent
from api.commerce.port import Market, OrderStatus, ScanCode

# --------------------------------------------------------------------------- people and places

TR_FEMALE_NAMES = (
    "Ayşe",
    "Fatma",
    "Zeynep",
    "Elif",
    "Emine",
    "Hatice",
    "Merve",
    "Büşra",
    "Esra",
    "Selin",
    "Ece",
    "Derya",
    "Gizem",
    "Özlem",
    "Sevgi",
    "Melek",
    "Tuğba",
    "İrem",
    "Şule",
    "Cansu",
)
TR_MALE_NAMES = (
    "Mehmet",
    "Mustafa",
    "Ahmet",
    "Ali",
    "Hüseyin",
    "Hasan",
    "İbrahim",
    "Murat",
    "Emre",
    "Burak",
    "Can",
    "Oğuz",
    "Serkan",
    "Yusuf",
    "Ömer",
    "Kerem",
    "Barış",
    "Tolga",
    "Uğur",
    "Çağlar",
)
TR_SURNAMES = (
    "Yılmaz",
    "Kaya",
    "Demir",
    "Şahin",
    "Çelik",
    "Yıldız",
    "Yıldırım",
    "Öztürk",
    "Aydın",
    "Özdemir",
    "Arslan",
    "Doğan",
    "Kılıç",
    "Aslan",
    "Çetin",
    "Kara",
    "Koç",
    "Kurt",
    "Özkan",
    "Şimşek",
    "Polat",
    "Aksoy",
    "Güneş",
    "Bulut",
    "Korkmaz",
)

PL_FEMALE_NAMES = (
    "Anna",
    "Maria",
    "Katarzyna",
    "Małgorzata",
    "Agnieszka",
    "Barbara",
    "Ewa",
    "Magdalena",
    "Joanna",
    "Aleksandra",
    "Zofia",
    "Natalia",
    "Karolina",
    "Monika",
    "Julia",
    "Marta",
    "Dorota",
    "Paulina",
)
PL_MALE_NAMES = (
    "Piotr",
    "Krzysztof",
    "Andrzej",
    "Tomasz",
    "Paweł",
    "Michał",
    "Marcin",
    "Jakub",
    "Kamil",
    "Łukasz",
    "Mateusz",
    "Grzegorz",
    "Adam",
    "Wojciech",
    "Bartosz",
    "Szymon",
    "Rafał",
    "Marek",
)
# Polish surnames agree with gender: (male form, female form).
PL_SURNAMES = (
    ("Nowak", "Nowak"),
    ("Kowalski", "Kowalska"),
    ("Wiśniewski", "Wiśniewska"),
    ("Wójcik", "Wójcik"),
    ("Kowalczyk", "Kowalczyk"),
    ("Kamiński", "Kamińska"),
    ("Lewandowski", "Lewandowska"),
    ("Zieliński", "Zielińska"),
    ("Szymański", "Szymańska"),
    ("Woźniak", "Woźniak"),
    ("Dąbrowski", "Dąbrowska"),
    ("Kozłowski", "Kozłowska"),
    ("Jankowski", "Jankowska"),
    ("Mazur", "Mazur"),
    ("Kwiatkowski", "Kwiatkowska"),
    ("Krawczyk", "Krawczyk"),
    ("Piotrowski", "Piotrowska"),
    ("Grabowski", "Grabowska"),
    ("Pawlak", "Pawlak"),
    ("Michalski", "Michalska"),
    ("Król", "Król"),
    ("Wieczorek", "Wieczorek"),
    ("Jabłoński", "Jabłońska"),
    ("Majewski", "Majewska"),
)


@dataclass(frozen=True)
class _City:
    """A city buyers live in; districts/streets/locker prefix make addresses and pickup points."""

    name: str
    weight: int  # how many buyers live there, relatively
    districts: tuple[str, ...]
    streets: tuple[str, ...] = ()
    locker: str = ""  # InPost machine prefix (WAW123M)


TR_CITIES = (
    _City("İstanbul", 30, ("Kadıköy", "Üsküdar", "Beşiktaş", "Şişli", "Bakırköy", "Ümraniye", "Esenyurt")),
    _City("Ankara", 12, ("Çankaya", "Keçiören", "Yenimahalle", "Etimesgut")),
    _City("İzmir", 10, ("Bornova", "Karşıyaka", "Konak", "Buca")),
    _City("Bursa", 7, ("Nilüfer", "Osmangazi", "Yıldırım")),
    _City("Antalya", 6, ("Muratpaşa", "Konyaaltı", "Kepez")),
    _City("Adana", 4, ("Seyhan", "Çukurova")),
    _City("Konya", 4, ("Selçuklu", "Meram")),
    _City("Gaziantep", 3, ("Şahinbey", "Şehitkamil")),
    _City("Kayseri", 3, ("Melikgazi", "Kocasinan")),
    _City("Eskişehir", 3, ("Odunpazarı", "Tepebaşı")),
    _City("Trabzon", 2, ("Ortahisar", "Akçaabat")),
    _City("Samsun", 2, ("Atakum", "İlkadım")),
)
PL_CITIES = (
    _City(
        "Warszawa",
        24,
        ("Mokotów", "Wola", "Śródmieście", "Praga-Południe", "Ursynów", "Bielany"),
        ("Marszałkowska", "Puławska", "Grójecka", "Targowa", "Górczewska"),
        "WAW",
    ),
    _City(
        "Kraków",
        12,
        ("Podgórze", "Krowodrza", "Nowa Huta", "Stare Miasto"),
        ("Karmelicka", "Dietla", "Wielicka", "Kalwaryjska"),
        "KRA",
    ),
    _City("Łódź", 8, ("Bałuty", "Widzew", "Polesie", "Górna"), ("Piotrkowska", "Kościuszki", "Zgierska"), "LOD"),
    _City(
        "Wrocław",
        10,
        ("Krzyki", "Fabryczna", "Psie Pole", "Śródmieście"),
        ("Świdnicka", "Legnicka", "Grabiszyńska"),
        "WRO",
    ),
    _City("Poznań", 8, ("Jeżyce", "Grunwald", "Wilda", "Rataje"), ("Półwiejska", "Głogowska", "Dąbrowskiego"), "POZ"),
    _City("Gdańsk", 7, ("Wrzeszcz", "Oliwa", "Przymorze"), ("Grunwaldzka", "Kartuska", "Długa"), "GDA"),
    _City("Szczecin", 4, ("Pogodno", "Niebuszewo"), ("Wojska Polskiego", "Mickiewicza"), "SZC"),
    _City("Lublin", 4, ("Czechów", "Śródmieście"), ("Krakowskie Przedmieście", "Narutowicza"), "LUB"),
    _City("Katowice", 5, ("Ligota", "Śródmieście", "Brynów"), ("Chorzowska", "Mikołowska"), "KAT"),
    _City("Białystok", 3, ("Centrum", "Antoniuk"), ("Lipowa", "Sienkiewicza"), "BIA"),
    _City("Bydgoszcz", 3, ("Fordon", "Śródmieście"), ("Gdańska", "Fordońska"), "BYD"),
    _City("Rzeszów", 3, ("Śródmieście", "Nowe Miasto"), ("3 Maja", "Rejtana"), "RZE"),
)

# Who signed for a door delivery; {male}/{first} are filled with a first name, {flat} a number.
TR_DELIVERED_TO = (
    ("Alıcının kendisi", 60),
    ("Kapı görevlisi – {male}", 14),
    ("Komşu – Daire {flat}", 10),
    ("Aile üyesi – {first}", 10),
    ("İş yeri – Resepsiyon", 6),
)
PL_DELIVERED_TO = (
    ("Odbiorca", 60),
    ("Sąsiad – lokal {flat}", 12),
    ("Domownik – {first}", 13),
    ("Recepcja", 8),
    ("Portier", 7),
)

# --------------------------------------------------------------------------- shops and products

DIGITAL_CATEGORY = "games"


@dataclass(frozen=True)
class _Shop:
    """A seller; the city is where its parcels are handed to the carrier."""

    name: str
    city: str
    categories: tuple[str, ...]
    weight: int  # share of orders, relatively


TR_SHOPS = (
    _Shop("TeknoVadi Elektronik", "İstanbul", ("electronics", "home"), 12),
    _Shop("Anadolu Bilişim", "Ankara", ("electronics",), 8),
    _Shop("Moda Köşesi Butik", "İstanbul", ("fashion",), 10),
    _Shop("Ege Tekstil Outlet", "İzmir", ("fashion",), 7),
    _Shop("Evim Güzel Ev & Yaşam", "Bursa", ("home",), 7),
    _Shop("Mutfak Dünyası", "İstanbul", ("home",), 6),
    _Shop("Güzellik Sepeti Kozmetik", "İstanbul", ("beauty",), 8),
    _Shop("Lavanta Kozmetik", "Antalya", ("beauty",), 4),
    _Shop("Kadıköy Kitap Sahafı", "İstanbul", ("books",), 5),
    _Shop("Okur Kitabevi", "Ankara", ("books", "toys"), 5),
    _Shop("Oyuncak Adası", "İzmir", ("toys",), 5),
    _Shop("Sportif Market", "Ankara", ("sports", "fashion"), 6),
    _Shop("Kamp & Doğa Sporları", "Bursa", ("sports",), 4),
    _Shop("E-Pin Merkezi", "İstanbul", (DIGITAL_CATEGORY,), 1),
    _Shop("Dijital Kod Dünyası", "Ankara", (DIGITAL_CATEGORY,), 1),
)
PL_SHOPS = (
    _Shop("ElektroMax Warszawa", "Warszawa", ("electronics",), 11),
    _Shop("TechnoPunkt", "Wrocław", ("electronics", "home"), 8),
    _Shop("Butik Elegancja", "Kraków", ("fashion",), 8),
    _Shop("Modny Zakątek", "Łódź", ("fashion",), 8),
    _Shop("Dom i Wnętrze", "Poznań", ("home",), 7),
    _Shop("AGD Centrum", "Katowice", ("home", "electronics"), 7),
    _Shop("Drogeria Róża", "Gdańsk", ("beauty",), 6),
    _Shop("Perfumeria Orchidea", "Warszawa", ("beauty",), 5),
    _Shop("Księgarnia Pod Sową", "Kraków", ("books",), 5),
    _Shop("Księgarnia Lektura", "Warszawa", ("books", "toys"), 4),
    _Shop("Zabawki Bajka", "Łódź", ("toys",), 5),
    _Shop("Sport-Max Poznań", "Poznań", ("sports", "fashion"), 6),
    _Shop("Rowerownia Gdańsk", "Gdańsk", ("sports",), 3),
    _Shop("KodyGry.pl", "Wrocław", (DIGITAL_CATEGORY,), 1),
    _Shop("CyfroweKlucze", "Warszawa", (DIGITAL_CATEGORY,), 1),
)

# (category, ((product name, lowest price, highest price), ...)); equal prices are face values.
TR_PRODUCTS = (
    (
        "electronics",
        (
            ("Xiaomi Redmi Note 13 Pro 256 GB", 13_000, 16_000),
            ("Samsung Galaxy A55 5G 128 GB", 15_000, 18_000),
            ("Apple AirPods Pro (2. nesil)", 8_000, 10_000),
            ("JBL Tune 520BT Kablosuz Kulaklık", 1_500, 2_000),
            ("Anker PowerCore 20000 mAh Powerbank", 900, 1_300),
            ('Lenovo IdeaPad Slim 3 15,6" Dizüstü Bilgisayar', 20_000, 26_000),
            ("Logitech MX Master 3S Kablosuz Mouse", 3_500, 4_200),
            ('Samsung 55" Crystal UHD 4K Smart TV', 25_000, 32_000),
            ("Xiaomi Smart Band 8 Akıllı Bileklik", 1_200, 1_600),
        ),
    ),
    (
        "fashion",
        (
            ("Koton Kadın Oversize Sweatshirt", 400, 700),
            ("LC Waikiki Erkek Slim Fit Jean Pantolon", 500, 800),
            ("Mavi Kadın Yüksek Bel Mom Jean", 1_200, 1_600),
            ("DeFacto Erkek Basic Tişört 3'lü Paket", 350, 550),
            ("Nike Air Force 1 '07 Erkek Spor Ayakkabı", 4_000, 5_000),
            ("Skechers Kadın Go Walk Yürüyüş Ayakkabısı", 2_000, 2_800),
            ("Columbia Erkek Su Geçirmez Mont", 4_500, 6_500),
        ),
    ),
    (
        "home",
        (
            ("Philips Airfryer XXL HD9650/90", 8_000, 10_000),
            ("Arçelik K 3300 Filtre Kahve Makinesi", 1_500, 2_000),
            ("Karaca Hatır Türk Kahvesi Makinesi", 1_800, 2_500),
            ("Dyson V12 Detect Slim Dikey Süpürge", 22_000, 27_000),
            ("English Home Pamuklu Çift Kişilik Nevresim Takımı", 1_000, 1_600),
            ("Tefal Ingenio 10 Parça Tencere Seti", 3_500, 4_500),
            ("Paşabahçe 6'lı Su Bardağı", 150, 250),
        ),
    ),
    (
        "beauty",
        (
            ("La Roche-Posay Effaclar Duo+ 40 ml", 700, 900),
            ("Maybelline Lash Sensational Maskara", 300, 450),
            ("Nivea Soft Nemlendirici Krem 200 ml", 150, 250),
            ("CeraVe Nemlendirici Losyon 236 ml", 500, 700),
            ("Philips Lumea IPL Epilasyon Cihazı", 12_000, 15_000),
            ("Flormar Kalıcı Oje", 80, 120),
        ),
    ),
    (
        "books",
        (
            ("Sabahattin Ali – Kürk Mantolu Madonna", 60, 110),
            ("Orhan Pamuk – Masumiyet Müzesi", 250, 350),
            ("Yuval Noah Harari – Sapiens: İnsan Türünün Kısa Bir Tarihi", 350, 450),
            ("Elif Şafak – Aşk", 250, 350),
            ("Zülfü Livaneli – Serenad", 200, 300),
            ("Antoine de Saint-Exupéry – Küçük Prens", 40, 80),
            ("YKS Matematik Soru Bankası", 300, 450),
        ),
    ),
    (
        "toys",
        (
            ("LEGO City İtfaiye Merkezi 60320", 2_500, 3_200),
            ("Monopoly Türkiye Kutu Oyunu", 700, 900),
            ("Barbie Rüya Evi", 6_000, 7_500),
            ("Hot Wheels 20'li Araba Seti", 700, 900),
            ("Fisher-Price Eğitici Köpekçik (Türkçe)", 900, 1_200),
            ("Rubik Küp 3x3", 150, 250),
        ),
    ),
    (
        "sports",
        (
            ("Domyos Yoga Matı 8 mm", 400, 600),
            ("Nike Pegasus 41 Erkek Koşu Ayakkabısı", 5_000, 6_000),
            ("Garmin Forerunner 265 Akıllı Saat", 15_000, 18_000),
            ("Bisan 26 Jant Dağ Bisikleti", 9_000, 12_000),
            ("Adidas Tiro League Futbol Topu", 700, 900),
            ("Ayarlanabilir Dambıl Seti 20 kg", 1_500, 2_200),
        ),
    ),
    (
        DIGITAL_CATEGORY,
        (
            ("Steam Cüzdan Kodu 100 TL", 100, 100),
            ("Steam Cüzdan Kodu 250 TL", 250, 250),
            ("PlayStation Store Cüzdan Kodu 500 TL", 500, 500),
            ("Google Play Hediye Kartı 200 TL", 200, 200),
            ("Xbox Game Pass Ultimate 3 Ay", 1_000, 1_200),
            ("Valorant 2050 VP E-Pin", 500, 600),
            ("PUBG Mobile 660 UC", 250, 300),
            ("Windows 11 Pro lisans anahtarı", 600, 900),
            ("Microsoft Office 2021 Home & Business lisans anahtarı", 1_200, 1_800),
        ),
    ),
)
PL_PRODUCTS = (
    (
        "electronics",
        (
            ("Xiaomi Redmi Note 13 Pro 256 GB", 1_200, 1_500),
            ("Samsung Galaxy A55 5G 128 GB", 1_500, 1_800),
            ("Słuchawki bezprzewodowe Sony WH-1000XM5", 1_300, 1_600),
            ('Laptop Lenovo IdeaPad Slim 3 15,6"', 2_200, 2_900),
            ("Powerbank Anker 20000 mAh", 120, 180),
            ('Telewizor LG 55" 4K UHD webOS', 1_900, 2_500),
            ('Apple iPad 10,9" 64 GB Wi-Fi', 1_600, 1_900),
            ("Myszka Logitech MX Master 3S", 380, 470),
        ),
    ),
    (
        "fashion",
        (
            ("Kurtka puchowa damska Reserved", 250, 400),
            ("Jeansy męskie Levi's 501 Original", 330, 450),
            ("Sweter damski z wełną Mohito", 130, 200),
            ("Sneakersy Adidas Samba OG", 420, 520),
            ("Koszula męska slim fit Vistula", 200, 300),
            ("Sukienka midi w kwiaty House", 100, 160),
        ),
    ),
    (
        "home",
        (
            ("Ekspres do kawy DeLonghi Magnifica S", 1_100, 1_400),
            ("Frytkownica beztłuszczowa Philips Airfryer XXL", 800, 1_000),
            ("Odkurzacz pionowy Dyson V12 Detect Slim", 2_300, 2_800),
            ("Robot kuchenny Bosch MUM5", 900, 1_200),
            ("Komplet pościeli bawełnianej 200x220", 150, 250),
            ("Zestaw garnków Tefal Ingenio 10 el.", 500, 700),
            ("Czajnik elektryczny Russell Hobbs 1,7 l", 150, 220),
        ),
    ),
    (
        "beauty",
        (
            ("Krem La Roche-Posay Effaclar Duo+ 40 ml", 70, 90),
            ("Tusz do rzęs Maybelline Lash Sensational", 40, 60),
            ("Woda toaletowa Hugo Boss Bottled 100 ml", 300, 400),
            ("Szczoteczka soniczna Philips Sonicare 3100", 200, 280),
            ("Suszarka do włosów Dyson Supersonic", 1_700, 2_000),
            ("Balsam nawilżający CeraVe 236 ml", 50, 70),
        ),
    ),
    (
        "books",
        (
            ("Olga Tokarczuk – Księgi Jakubowe", 60, 80),
            ("Andrzej Sapkowski – Ostatnie życzenie", 35, 50),
            ("Remigiusz Mróz – Kasacja", 35, 45),
            ("Stanisław Lem – Solaris", 30, 45),
            ("Wisława Szymborska – Wiersze wybrane", 35, 50),
            ("Yuval Noah Harari – Sapiens. Od zwierząt do bogów", 45, 60),
        ),
    ),
    (
        "toys",
        (
            ("LEGO City Remiza strażacka 60320", 350, 450),
            ("Gra planszowa Wsiąść do Pociągu: Europa", 150, 200),
            ("Domek dla lalek Barbie Dreamhouse", 800, 1_000),
            ("Puzzle Trefl 1000 elementów", 30, 50),
            ("Pluszowy miś Steiff 30 cm", 250, 350),
            ("Samochodziki Hot Wheels 20-pak", 90, 130),
        ),
    ),
    (
        "sports",
        (
            ("Buty do biegania Nike Pegasus 41", 500, 650),
            ('Rower górski Kross Hexagon 6.0 29"', 2_500, 3_200),
            ("Zegarek sportowy Garmin Forerunner 265", 1_700, 2_000),
            ("Mata do jogi Domyos 8 mm", 60, 100),
            ("Hantle regulowane 2x10 kg", 180, 260),
            ("Piłka nożna Adidas Tiro League", 90, 130),
        ),
    ),
    (
        DIGITAL_CATEGORY,
        (
            ("Karta podarunkowa PlayStation 200 zł", 200, 200),
            ("Karta podarunkowa Steam 100 zł", 100, 100),
            ("Karta podarunkowa Google Play 100 zł", 100, 100),
            ("Karta podarunkowa Nintendo eShop 100 zł", 100, 100),
            ("Xbox Game Pass Ultimate – 3 miesiące", 180, 200),
            ("Kod do gry Cyberpunk 2077 (GOG)", 80, 130),
            ("Klucz licencyjny Windows 11 Pro", 60, 120),
            ("Microsoft 365 Family – 12 miesięcy, klucz", 300, 450),
        ),
    ),
)

# --------------------------------------------------------------------------- carriers


@dataclass(frozen=True)
class _Carrier:
    """How one carrier looks in the data: its share, code style, depots, hubs and pickup points.

    Templates are formatted with an address: {city}, {district}, {street}, {no},
    {locker} (InPost machine) and {n} (post office number).
    """

    name: str
    weight: int  # share of the market's parcels, relatively
    point_share: float  # share of its parcels that go to a pickup point instead of a door
    tracking: tuple[str, ...]  # code patterns: '#' a digit, '@' a letter A-Z, anything else literal
    branch: str  # local depot that accepts and delivers parcels
    hubs: tuple[tuple[str, str], ...]  # (city, sorting hub); the first is the fallback for other cities
    pickup_point: str | None = None
    collected_by: str | None = None  # delivered_to when the buyer collects at a pickup point


TR_CARRIERS = (
    _Carrier(
        "Yurtiçi Kargo",
        35,
        0.12,
        ("############",),
        "Yurtiçi Kargo {district} Şubesi",
        (
            ("İstanbul", "Yurtiçi Kargo Gebze Transfer Merkezi"),
            ("Ankara", "Yurtiçi Kargo Ankara Transfer Merkezi"),
            ("İzmir", "Yurtiçi Kargo İzmir Transfer Merkezi"),
            ("Bursa", "Yurtiçi Kargo Bursa Transfer Merkezi"),
            ("Antalya", "Yurtiçi Kargo Antalya Transfer Merkezi"),
        ),
        "Yurtiçi Kargo {district} Şubesi, {city}",
        "Alıcının kendisi – şubeden teslim",
    ),
    _Carrier(
        "Aras Kargo",
        25,
        0.15,
        ("#############",),
        "Aras Kargo {district} Şubesi",
        (
            ("İstanbul", "Aras Kargo Esenyurt Aktarma Merkezi"),
            ("Ankara", "Aras Kargo Ankara Aktarma Merkezi"),
            ("İzmir", "Aras Kargo İzmir Aktarma Merkezi"),
            ("Bursa", "Aras Kargo Bursa Aktarma Merkezi"),
        ),
        "Aras Kargo {district} Şubesi, {city}",
        "Alıcının kendisi – şubeden teslim",
    ),
    _Carrier(
        "HepsiJET",
        30,
        0.10,
        ("HJ##########",),
        "HepsiJET {district} Dağıtım Merkezi",
        (
            ("İstanbul", "HepsiJET Tuzla Operasyon Merkezi"),
            ("Ankara", "HepsiJET Ankara Transfer Merkezi"),
            ("İzmir", "HepsiJET İzmir Transfer Merkezi"),
        ),
        "HepsiMat {district}, {city}",
        "Alıcının kendisi – HepsiMat",
    ),
    _Carrier(
        "DHL",
        10,
        0.0,
        ("##########",),
        "DHL Express {district} Servis Noktası",
        (
            ("İstanbul", "DHL Express İstanbul Havalimanı Hub"),
            ("Ankara", "DHL Express Ankara Servis Merkezi"),
            ("İzmir", "DHL Express İzmir Servis Merkezi"),
        ),
    ),
)
PL_CARRIERS = (
    _Carrier(
        "InPost",
        50,
        0.85,
        ("6#######################",),
        "InPost Oddział {city}",
        (
            ("Łódź", "InPost Sortownia Łódź"),
            ("Warszawa", "InPost Sortownia Warszawa"),
            ("Kraków", "InPost Sortownia Kraków"),
            ("Wrocław", "InPost Sortownia Wrocław"),
            ("Poznań", "InPost Sortownia Poznań"),
            ("Gdańsk", "InPost Sortownia Gdańsk"),
        ),
        "Paczkomat {locker}, ul. {street} {no}, {city}",
        "Odebrano z Paczkomatu",
    ),
    _Carrier(
        "DPD",
        20,
        0.10,
        ("1000#########@",),
        "DPD Oddział {city}",
        (
            ("Łódź", "DPD Sortownia Stryków"),
            ("Warszawa", "DPD Sortownia Warszawa Okęcie"),
            ("Kraków", "DPD Sortownia Kraków"),
            ("Gdańsk", "DPD Sortownia Gdańsk"),
        ),
        "DPD Pickup – Żabka, ul. {street} {no}, {city}",
        "Odbiorca – punkt DPD Pickup",
    ),
    _Carrier(
        "Poczta Polska",
        15,
        0.20,
        ("PX#########PL", "00659###############"),
        "Urząd Pocztowy {city} {n}",
        (
            ("Warszawa", "Poczta Polska WER Warszawa"),
            ("Kraków", "Poczta Polska WER Kraków"),
            ("Poznań", "Poczta Polska WER Poznań"),
            ("Wrocław", "Poczta Polska WER Wrocław"),
            ("Gdańsk", "Poczta Polska WER Gdańsk"),
        ),
        "Urząd Pocztowy {city} {n}, ul. {street} {no}",
        "Odbiorca – odbiór w placówce",
    ),
    _Carrier(
        "DHL",
        15,
        0.15,
        ("##########",),
        "DHL Parcel Oddział {city}",
        (
            ("Warszawa", "DHL Parcel Hub Błonie"),
            ("Kraków", "DHL Parcel Terminal Kraków"),
            ("Wrocław", "DHL Parcel Terminal Wrocław"),
        ),
        "DHL POP – Żabka, ul. {street} {no}, {city}",
        "Odbiorca – DHL POP",
    ),
)

# --------------------------------------------------------------------------- statuses, timing, fixtures

S = OrderStatus
ORDERS_PER_MARKET = 300
BUYERS_PER_MARKET = 60
MAX_ORDERS_PER_BUYER = 9
DIGITAL_SHARE = 0.08  # of a market's orders; all of them delivered

# Orders per status in each market (each sums to ORDERS_PER_MARKET). Pickup points are
# mostly a Polish habit (paczkomaty); Turkish parcels mostly go to the door.
STATUS_MIX = {
    Market.TR: {
        S.PREPARING: 30,
        S.SHIPPED: 30,
        S.IN_TRANSIT: 52,
        S.AT_PICKUP_POINT: 14,
        S.DELIVERED: 138,
        S.CANCELLED: 21,
        S.RETURNED: 15,
    },
    Market.PL: {
        S.PREPARING: 30,
        S.SHIPPED: 30,
        S.IN_TRANSIT: 38,
        S.AT_PICKUP_POINT: 34,
        S.DELIVERED: 132,
        S.CANCELLED: 21,
        S.RETURNED: 15,
    },
}

# Buyers tests and demo scripts rely on: id -> (name, city, orders). An order is
# (status, carrier or None[, placed days ago or None[, digital[, category]]]).
# 0001-0003 cover tracking (1 / several / no open orders); 0004-0006 the support flows
# (see api/support/demo_data.py for their returns, codes, wallet and restrictions).
FIXTURE_BUYERS: dict[str, tuple[str, str, tuple[tuple, ...]]] = {
    "tr-0001": ("Ayşe Yılmaz", "İstanbul", ((S.IN_TRANSIT, "Yurtiçi Kargo"), (S.DELIVERED, None), (S.DELIVERED, None))),
    "tr-0002": (
        "Mehmet Kaya",
        "Ankara",
        (
            (S.PREPARING, None),
            (S.SHIPPED, None),
            (S.AT_PICKUP_POINT, "Aras Kargo"),
            (S.DELIVERED, None),
            (S.CANCELLED, None),
        ),
    ),
    "tr-0003": (
        "Zeynep Demir",
        "İzmir",
        ((S.DELIVERED, None), (S.DELIVERED, None), (S.CANCELLED, None), (S.RETURNED, None)),
    ),
    "tr-0004": (
        "Emre Aydın",
        "İstanbul",
        (
            (S.DELIVERED, "Yurtiçi Kargo", 5, False, "electronics"),  # returnable, delivery issues
            (S.DELIVERED, "Aras Kargo", 40, False, "fashion"),  # return window closed
            (S.DELIVERED, None, 1, True),  # digital: code never delivered
            (S.DELIVERED, None, 3, True),  # digital: code activated
            (S.DELIVERED, None, 2, True),  # digital: delivered, not activated
            (S.CANCELLED, None, 2),  # its refund is pending in the wallet
            (S.DELIVERED, "Yurtiçi Kargo", 4, False, "beauty"),  # hygiene item
            (S.PREPARING, None, 1, False, "home"),  # can still be cancelled
        ),
    ),
    "tr-0005": (
        "Elif Çelik",
        "Ankara",
        (
            (S.RETURNED, None, 30, False, "fashion"),  # return rejected once
            (S.DELIVERED, None, 20, False, "electronics"),  # return accepted, refund on its way
            (S.DELIVERED, None, 8, False, "home"),  # return in transit
        ),
    ),
    "tr-0006": (
        "Burak Koç",
        "İzmir",
        ((S.RETURNED, None, 35, False, "fashion"), (S.DELIVERED, None, 10, False, "sports")),
    ),
    "pl-0001": ("Anna Nowak", "Warszawa", ((S.AT_PICKUP_POINT, "InPost"), (S.DELIVERED, None), (S.DELIVERED, None))),
    "pl-0002": (
        "Piotr Wiśniewski",
        "Kraków",
        ((S.PREPARING, None), (S.SHIPPED, None), (S.IN_TRANSIT, None), (S.DELIVERED, None), (S.RETURNED, "DPD")),
    ),
    "pl-0003": (
        "Katarzyna Kowalska",
        "Gdańsk",
        ((S.DELIVERED, None), (S.DELIVERED, None), (S.CANCELLED, None), (S.RETURNED, None)),
    ),
    "pl-0004": (
        "Tomasz Zieliński",
        "Warszawa",
        (
            (S.DELIVERED, "DPD", 5, False, "electronics"),
            (S.DELIVERED, "InPost", 40, False, "fashion"),
            (S.DELIVERED, None, 1, True),
            (S.DELIVERED, None, 3, True),
            (S.DELIVERED, None, 2, True),
            (S.CANCELLED, None, 2),
            (S.DELIVERED, "DPD", 4, False, "beauty"),
            (S.PREPARING, None, 1, False, "home"),
        ),
    ),
    "pl-0005": (
        "Magdalena Wójcik",
        "Kraków",
        (
            (S.RETURNED, None, 30, False, "fashion"),
            (S.DELIVERED, None, 20, False, "electronics"),
            (S.DELIVERED, None, 8, False, "home"),
        ),
    ),
    "pl-0006": (
        "Paweł Kamiński",
        "Wrocław",
        ((S.RETURNED, None, 35, False, "fashion"), (S.DELIVERED, None, 10, False, "sports")),
    ),
}


@dataclass(frozen=True)
class _Planned:
    """One order to generate: whose, in which state, and any fixture constraints."""

    buyer_index: int
    status: OrderStatus
    carrier: str | None = None
    days_ago: int | None = None
    digital: bool = False
    category: str | None = None


# How many days before `today` an order in each status was placed (before any shift that
# keeps its scans in the past). Open orders are recent, finished ones older.
PLACED_DAYS_AGO = {
    S.PREPARING: (0, 2),
    S.SHIPPED: (1, 4),
    S.IN_TRANSIT: (1, 6),
    S.AT_PICKUP_POINT: (2, 7),
    S.DELIVERED: (4, 58),
    S.CANCELLED: (0, 58),
    S.RETURNED: (14, 58),
}
DIGITAL_DAYS_AGO = (0, 58)
HISTORY_DAYS = 60  # nothing was placed earlier than this before `today`

C = ScanCode
# (previous scan or None for the order placement, scan) -> (hours after previous, local-hour window).
# A scan falling outside its window moves to the window's next opening: couriers deliver in
# daytime, hubs sort around the clock.
SCAN_TIMING: dict[tuple[ScanCode | None, ScanCode], tuple[tuple[float, float], tuple[int, int]]] = {
    (None, C.ACCEPTED): ((2, 36), (9, 20)),
    (C.ACCEPTED, C.AT_HUB): ((2, 8), (0, 24)),
    (C.AT_HUB, C.IN_TRANSIT): ((1, 6), (0, 24)),
    (C.IN_TRANSIT, C.OUT_FOR_DELIVERY): ((5, 30), (7, 10)),
    (C.IN_TRANSIT, C.AT_PICKUP_POINT): ((5, 30), (6, 22)),
    (C.OUT_FOR_DELIVERY, C.DELIVERED): ((0.5, 9), (9, 21)),
    (C.AT_PICKUP_POINT, C.DELIVERED): ((1, 40), (7, 23)),
    (C.OUT_FOR_DELIVERY, C.RETURNED_TO_SENDER): ((48, 96), (9, 19)),  # refused / nobody home
    (C.AT_PICKUP_POINT, C.RETURNED_TO_SENDER): ((48, 120), (9, 19)),  # never collected
    (C.DELIVERED, C.RETURNED_TO_SENDER): ((72, 240), (9, 19)),  # buyer sent it back
}

_CENT = Decimal("0.01")
_ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class _MarketData:
    """Everything market-specific, so one generator serves both markets."""

    market: Market
    language: str
    currency: str
    female_names: tuple[str, ...]
    male_names: tuple[str, ...]
    surnames: tuple[tuple[str, str], ...]  # (male form, female form)
    cities: tuple[_City, ...]
    shops: tuple[_Shop, ...]
    products: tuple[tuple[str, tuple[tuple[str, int, int], ...]], ...]
    carriers: tuple[_Carrier, ...]
    delivered_to: tuple[tuple[str, int], ...]
    bulk_price_limit: int  # items up to this price may be bought 2-3 at a time


MARKETS = (
    _MarketData(
        Market.TR,
        "tr",
        "TRY",
        TR_FEMALE_NAMES,
        TR_MALE_NAMES,
        tuple((s, s) for s in TR_SURNAMES),
        TR_CITIES,
        TR_SHOPS,
        TR_PRODUCTS,
        TR_CARRIERS,
        TR_DELIVERED_TO,
        1_000,
    ),
    _MarketData(
        Market.PL,
        "pl",
        "PLN",
        PL_FEMALE_NAMES,
        PL_MALE_NAMES,
        PL_SURNAMES,
        PL_CITIES,
        PL_SHOPS,
        PL_PRODUCTS,
        PL_CARRIERS,
        PL_DELIVERED_TO,
        150,
    ),
)

# --------------------------------------------------------------------------- public API


@dataclass(frozen=True)
class DemoSummary:
    """What :func:`generate` inserted, for logs and CLI output."""

    buyers_per_market: dict[str, int]
    sellers_per_market: dict[str, int]
    orders_per_market: dict[str, int]
    orders_per_status: dict[str, int]
    digital_orders: int
    shipments: int

    @property
    def total_orders(self) -> int:
        return sum(self.orders_per_market.values())


def generate(session: Session, *, seed: int, today: dt.date) -> DemoSummary:
    """Insert the demo data set into ``session`` (flushed, not committed) and summarise it.

    Same ``seed`` and ``today`` give identical rows; expects empty commerce tables.
    Each market draws from its own child generator so editing one market's tables
    does not reshuffle the other market.
    """
    rng = random.Random(seed)
    used_codes: set[str] = set()  # tracking codes are unique across markets
    buyers: list[Buyer] = []
    sellers: list[Seller] = []
    orders: list[Order] = []
    for data in MARKETS:
        run = _MarketRun(data, random.Random(rng.getrandbits(64)), today, used_codes)
        buyers.extend(run.buyers)
        sellers.extend(run.sellers)
        orders.extend(run.make_orders())
    # Insert in placement order so order ids grow with time, as in a real shop.
    orders.sort(key=lambda order: (order.placed_at, order.number))
    session.add_all(buyers)
    session.add_all(sellers)
    session.add_all(orders)
    session.flush()
    return DemoSummary(
        buyers_per_market=dict(Counter(b.market for b in buyers)),
        sellers_per_market=dict(Counter(s.market for s in sellers)),
        orders_per_market=dict(Counter(o.market for o in orders)),
        orders_per_status={status.value: sum(o.status == status for o in orders) for status in OrderStatus},
        digital_orders=sum(any(item.is_digital for item in o.items) for o in orders),
        shipments=sum(o.shipment is not None for o in orders),
    )


# --------------------------------------------------------------------------- generation


@dataclass
class _Place:
    """A buyer's or seller's address; shapes depot, pickup point and delivery locations."""

    city: str
    fields: dict[str, str]  # template fields: city, district, street, no, locker, n

    def fill(self, template: str) -> str:
        return template.format(**self.fields)


class _MarketRun:
    """Generates one market's buyers, sellers and orders from one random stream."""

    def __init__(self, data: _MarketData, rng: random.Random, today: dt.date, used_codes: set[str]):
        self.data = data
        self.rng = rng
        self.today = today
        self.used_codes = used_codes
        self.used_numbers: set[str] = set()
        self.cities = {city.name: city for city in data.cities}
        # The last moment anything may have happened: today 23:59 on the market's clock.
        self.ceiling = dt.datetime.combine(today, dt.time(23, 59))
        self.products = [
            (category, name, low, high) for category, entries in data.products for name, low, high in entries
        ]
        self.buyers, self.buyer_places = self._make_buyers()
        self.sellers, self.seller_places = self._make_sellers()

    # ---- people

    def _make_buyers(self) -> tuple[list[Buyer], list[_Place]]:
        prefix = self.data.market.lower()
        taken = {name for name, _, _ in FIXTURE_BUYERS.values()}
        buyers, places = [], []
        for i in range(1, BUYERS_PER_MARKET + 1):
            buyer_id = f"{prefix}-{i:04d}"
            if buyer_id in FIXTURE_BUYERS:
                name, city_name, _ = FIXTURE_BUYERS[buyer_id]
                city = self.cities[city_name]
            else:
                name = self._unique_name(taken)
                city = self.rng.choices(self.data.cities, weights=[c.weight for c in self.data.cities])[0]
            taken.add(name)
            buyers.append(
                Buyer(
                    id=buyer_id,
                    market=self.data.market.value,
                    name=name,
                    city=city.name,
                    language=self.data.language,
                    accessibility_needs=buyer_id.endswith("-0003"),  # fixture: written support, priority
                )
            )
            places.append(self._place(city))
        return buyers, places

    def _unique_name(self, taken: set[str]) -> str:
        while True:
            female = self.rng.random() < 0.5
            first = self.rng.choice(self.data.female_names if female else self.data.male_names)
            surname = self.rng.choice(self.data.surnames)[1 if female else 0]
            if f"{first} {surname}" not in taken:
                return f"{first} {surname}"

    def _make_sellers(self) -> tuple[list[Seller], list[_Place]]:
        prefix = self.data.market.lower()
        sellers = [
            Seller(id=f"{prefix}-s-{i:02d}", market=self.data.market.value, name=shop.name)
            for i, shop in enumerate(self.data.shops, start=1)
        ]
        return sellers, [self._place(self.cities[shop.city]) for shop in self.data.shops]

    def _place(self, city: _City) -> _Place:
        """A stable address, so a buyer keeps the same paczkomat and depot across orders."""
        rng = self.rng
        return _Place(
            city.name,
            {
                "city": city.name,
                "district": rng.choice(city.districts),
                "street": rng.choice(city.streets) if city.streets else "",
                "no": str(rng.randint(1, 180)),
                "locker": f"{city.locker}{rng.randint(1, 399):02d}M" if city.locker else "",
                "n": str(rng.randint(1, 60)),
            },
        )

    # ---- orders

    def make_orders(self) -> list[Order]:
        """Fixture buyers get their fixed orders; the rest of the status mix goes to everyone else."""
        plan: list[_Planned] = []
        pool = Counter(STATUS_MIX[self.data.market])
        random_buyers = []
        for index, buyer in enumerate(self.buyers):
            if buyer.id in FIXTURE_BUYERS:
                for spec in FIXTURE_BUYERS[buyer.id][2]:
                    plan.append(_Planned(index, *spec))
                    pool[spec[0]] -= 1
            else:
                random_buyers.append(index)
        if min(pool.values()) < 0:
            raise ValueError("fixture orders exceed the status mix")
        statuses = [status for status in OrderStatus for _ in range(pool[status])]
        self.rng.shuffle(statuses)
        counts = _orders_per_buyer(self.rng, len(random_buyers), len(statuses))
        slots = [index for index, count in zip(random_buyers, counts, strict=True) for _ in range(count)]
        first_random = len(plan)
        plan.extend(_Planned(index, status) for index, status in zip(slots, statuses, strict=True))
        delivered = [i for i in range(first_random, len(plan)) if plan[i].status == S.DELIVERED]
        fixture_digital = sum(p.digital for p in plan)
        digital = set(self.rng.sample(delivered, max(0, round(ORDERS_PER_MARKET * DIGITAL_SHARE) - fixture_digital)))
        return [self._make_order(p, digital=p.digital or i in digital) for i, p in enumerate(plan)]

    def _make_order(self, planned: _Planned, *, digital: bool) -> Order:
        rng = self.rng
        status, buyer_index = planned.status, planned.buyer_index
        shop_index = self._pick_shop(digital, planned.category)
        items = self._pick_items(self.data.shops[shop_index], planned.category)
        low, high = DIGITAL_DAYS_AGO if digital else PLACED_DAYS_AGO[status]
        days_ago = planned.days_ago if planned.days_ago is not None else rng.randint(low, high)
        placed = _local_time(rng, self.today - dt.timedelta(days=days_ago), 7, 23)
        order = Order(
            number=self._order_number(),
            market=self.data.market.value,
            buyer_id=self.buyers[buyer_index].id,
            seller_id=self.sellers[shop_index].id,
            status=status.value,
            currency=self.data.currency,
            total=sum((item.quantity * item.unit_price for item in items), Decimal("0.00")),
            items=items,
        )
        last_scan = None
        if not digital and status not in (S.PREPARING, S.CANCELLED):
            order.shipment, placed = self._make_shipment(
                status, placed, planned.carrier, self.buyer_places[buyer_index], self.seller_places[shop_index]
            )
            last_scan = ScanCode(order.shipment.events[-1].code)
        order.placed_at = _to_utc(self.data.market, placed)
        if digital:
            order.estimated_delivery = placed.date()  # codes arrive by e-mail at once
        else:
            order.estimated_delivery = self._estimate(status, placed.date(), last_scan)
        return order

    def _pick_shop(self, digital: bool, category: str | None = None) -> int:
        candidates = [i for i, shop in enumerate(self.data.shops) if (DIGITAL_CATEGORY in shop.categories) == digital]
        if category is not None:
            candidates = [i for i in candidates if category in self.data.shops[i].categories]
        return self.rng.choices(candidates, weights=[self.data.shops[i].weight for i in candidates])[0]

    def _pick_items(self, shop: _Shop, category: str | None = None) -> list[OrderItem]:
        """1-3 different products of the shop; cheap ones sometimes bought two or three at a time."""
        rng = self.rng
        candidates = [p for p in self.products if p[0] in shop.categories and category in (None, p[0])]
        count = min(len(candidates), rng.choices((1, 2, 3), weights=(65, 25, 10))[0])
        items = []
        for category, name, low, high in rng.sample(candidates, count):
            quantity = 1
            if high <= self.data.bulk_price_limit:
                quantity = rng.choices((1, 2, 3), weights=(80, 15, 5))[0]
            items.append(
                OrderItem(
                    product_name=name,
                    category=category,
                    quantity=quantity,
                    unit_price=_price(rng, low, high),
                    is_digital=category == DIGITAL_CATEGORY,
                )
            )
        return items

    def _order_number(self) -> str:
        while True:
            number = f"{self.data.market.value}{self.rng.randint(10_000_000, 99_999_999)}"
            if number not in self.used_numbers:
                self.used_numbers.add(number)
                return number

    def _estimate(self, status: OrderStatus, placed_day: dt.date, last_scan: ScanCode | None) -> dt.date | None:
        """Open orders: the date promised now; finished ones: the date that was promised back then."""
        days = self.rng.randint
        if status == S.PREPARING:
            return self.today + dt.timedelta(days=days(2, 6))
        if status == S.SHIPPED:
            return self.today + dt.timedelta(days=days(1, 5))
        if status == S.IN_TRANSIT:
            return self.today + dt.timedelta(days=0 if last_scan == C.OUT_FOR_DELIVERY else days(1, 4))
        if status == S.AT_PICKUP_POINT:
            return self.today
        if status in (S.DELIVERED, S.RETURNED):
            return placed_day + dt.timedelta(days=days(2, 5))
        return None  # cancelled

    # ---- shipments

    def _make_shipment(
        self, status: OrderStatus, placed: dt.datetime, carrier_name: str | None, buyer: _Place, seller: _Place
    ) -> tuple[Shipment, dt.datetime]:
        """The parcel and its scans; returns the (possibly moved) placement time too.

        The whole story moves by whole days, which keeps every time of day (and so the
        daytime windows) intact: back when scans would run past today, and so that a
        parcel out for delivery went out today and one at a pickup point arrived in the
        last two days, as the buyer asking about it would expect.
        """
        rng = self.rng
        carrier = self._pick_carrier(status, carrier_name)
        to_point = status == S.AT_PICKUP_POINT or rng.random() < carrier.point_share
        codes = _scan_path(rng, status, to_point)
        times = _scan_times(rng, placed, codes)
        if codes[-1] == C.OUT_FOR_DELIVERY:
            days_late = (times[-1].date() - self.today).days
        elif codes[-1] == C.AT_PICKUP_POINT:
            days_late = (times[-1].date() - self.today).days + rng.randint(0, 2)
        else:
            days_late = math.ceil(max(times[-1] - self.ceiling, dt.timedelta(0)) / _ONE_DAY)
        shift = days_late * _ONE_DAY
        placed, times = placed - shift, [t - shift for t in times]

        pickup_point = buyer.fill(carrier.pickup_point) if to_point and carrier.pickup_point else None
        shipment = Shipment(
            carrier=carrier.name,
            tracking_code=self._tracking_code(carrier),
            pickup_point=pickup_point,
            delivered_to=self._delivered_to(carrier, to_point) if C.DELIVERED in codes else None,
        )
        shipment.events = [
            ShipmentEvent(
                occurred_at=_to_utc(self.data.market, when),
                code=code.value,
                location=_scan_location(code, carrier, buyer, seller, pickup_point),
            )
            for code, when in zip(codes, times, strict=True)
        ]
        return shipment, placed

    def _pick_carrier(self, status: OrderStatus, name: str | None) -> _Carrier:
        carriers = self.data.carriers
        if name is not None:
            return next(c for c in carriers if c.name == name)
        if status == S.AT_PICKUP_POINT:
            weights = [c.weight * c.point_share for c in carriers]
        else:
            weights = [c.weight for c in carriers]
        return self.rng.choices(carriers, weights=weights)[0]

    def _tracking_code(self, carrier: _Carrier) -> str:
        while True:
            pattern = self.rng.choice(carrier.tracking)
            code = "".join(
                str(self.rng.randrange(10))
                if ch == "#"
                else self.rng.choice(string.ascii_uppercase)
                if ch == "@"
                else ch
                for ch in pattern
            )
            if code not in self.used_codes:
                self.used_codes.add(code)
                return code

    def _delivered_to(self, carrier: _Carrier, to_point: bool) -> str:
        if to_point and carrier.collected_by:
            return carrier.collected_by
        rng = self.rng
        templates = self.data.delivered_to
        template = rng.choices([t for t, _ in templates], weights=[w for _, w in templates])[0]
        return template.format(
            male=rng.choice(self.data.male_names),
            first=rng.choice(self.data.female_names + self.data.male_names),
            flat=rng.randint(1, 60),
        )


def _orders_per_buyer(rng: random.Random, buyers: int, orders: int) -> list[int]:
    """Split ``orders`` over ``buyers``, 1-9 each, unevenly: a few keen shoppers, many occasional ones."""
    if not buyers <= orders <= buyers * MAX_ORDERS_PER_BUYER:
        raise ValueError(f"cannot give {buyers} buyers {orders} orders")
    counts = [1] * buyers
    appetite = [rng.lognormvariate(0, 0.6) for _ in range(buyers)]
    for _ in range(orders - buyers):
        weights = [a if c < MAX_ORDERS_PER_BUYER else 0 for a, c in zip(appetite, counts, strict=True)]
        counts[rng.choices(range(buyers), weights=weights)[0]] += 1
    return counts


def _scan_path(rng: random.Random, status: OrderStatus, to_point: bool) -> list[ScanCode]:
    """The scans a parcel in ``status`` has had so far; always in ScanCode order."""
    last_mile = [C.AT_PICKUP_POINT, C.DELIVERED] if to_point else [C.OUT_FOR_DELIVERY, C.DELIVERED]
    full = [C.ACCEPTED, C.AT_HUB, C.IN_TRANSIT, *last_mile]
    if status == S.SHIPPED:
        return full[: rng.choice((1, 2))]
    if status == S.IN_TRANSIT:
        return full[:4] if not to_point and rng.random() < 0.4 else full[:3]
    if status == S.AT_PICKUP_POINT:
        return full[:4]
    if status == S.DELIVERED:
        return full
    if status == S.RETURNED:
        # Either never delivered (refused, not collected) or delivered and sent back by the buyer.
        return [*full[:4], C.RETURNED_TO_SENDER] if rng.random() < 0.4 else [*full, C.RETURNED_TO_SENDER]
    raise ValueError(f"no shipment for status {status}")


def _scan_times(rng: random.Random, placed: dt.datetime, codes: Sequence[ScanCode]) -> list[dt.datetime]:
    """Local times for ``codes``, each after the previous one as SCAN_TIMING describes."""
    times, previous, when = [], None, placed
    for code in codes:
        (min_hours, max_hours), (start, end) = SCAN_TIMING[(previous, code)]
        when = when + dt.timedelta(seconds=rng.randint(int(min_hours * 3600), int(max_hours * 3600)))
        if when.hour < start:
            when = _local_time(rng, when.date(), start, min(end, start + 2))
        elif when.hour >= end:
            when = _local_time(rng, when.date() + _ONE_DAY, start, min(end, start + 2))
        times.append(when)
        previous = code
    return times


def _scan_location(code: ScanCode, carrier: _Carrier, buyer: _Place, seller: _Place, pickup_point: str | None) -> str:
    """Where a scan happened: the seller's depot and hub first, then the buyer's side."""
    if code in (C.ACCEPTED, C.RETURNED_TO_SENDER):
        return seller.fill(carrier.branch)
    if code == C.AT_HUB:
        return _hub(carrier, seller.city)
    if code == C.IN_TRANSIT:
        return f"{_hub(carrier, seller.city)} → {buyer.city}"
    if code == C.OUT_FOR_DELIVERY:
        return buyer.fill(carrier.branch)
    if pickup_point:  # at the pickup point, or collected there
        return pickup_point
    return buyer.fill("{district}, {city}")


def _hub(carrier: _Carrier, city: str) -> str:
    return next((hub for hub_city, hub in carrier.hubs if hub_city == city), carrier.hubs[0][1])


def _price(rng: random.Random, low: int, high: int) -> Decimal:
    """A shelf price between low and high, rounded the way shops do (1.299,90 / 1.299,99 / 1.300,00)."""
    if low == high:
        return Decimal(low).quantize(_CENT)
    raw = rng.uniform(low, high)
    step = 1 if raw < 100 else 10 if raw < 1_000 else 100
    whole = max(step, round(raw / step) * step)
    return (Decimal(whole) - Decimal(rng.choice(("0.01", "0.10", "0")))).quantize(_CENT)


def _local_time(rng: random.Random, day: dt.date, start_hour: int, end_hour: int) -> dt.datetime:
    """A random whole-second local time on ``day`` in [start_hour, end_hour)."""
    seconds = rng.randint(start_hour * 3600, end_hour * 3600 - 1)
    return dt.datetime.combine(day, dt.time()) + dt.timedelta(seconds=seconds)


_ZONES = {Market.TR: ZoneInfo("Europe/Istanbul"), Market.PL: ZoneInfo("Europe/Warsaw")}


def _to_utc(market: Market, local: dt.datetime) -> dt.datetime:
    """Local market time -> aware UTC, with the market's real zone rules (CET/CEST in Poland)."""
    return local.replace(tzinfo=_ZONES[market]).astimezone(dt.UTC)
