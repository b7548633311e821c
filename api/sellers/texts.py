"""Every string the seller portal's api shows a seller, in Turkish and Polish.

A seller user reads the api in their own language (``SellerUser.language``), whatever the
market: error messages and the reasons an answer was refused. Codes are stable for clients
(the seller portal's web/src/seller/strings.js keys its own strings by them too); texts are for people.
"""

from __future__ import annotations

from api.errors import DomainError

LANGUAGES = ("tr", "pl")

TEXTS: dict[str, dict[str, str]] = {
    "invalid_credentials": {
        "tr": "Kullanıcı adı veya şifre hatalı.",
        "pl": "Nieprawidłowa nazwa użytkownika lub hasło.",
    },
    "account_locked": {
        "tr": "Çok sayıda hatalı giriş denemesi nedeniyle hesap geçici olarak kilitlendi. "
        "{seconds} saniye sonra tekrar deneyin.",
        "pl": "Po zbyt wielu nieudanych próbach logowania konto jest tymczasowo zablokowane. "
        "Spróbuj ponownie za {seconds} s.",
    },
    "too_many_logins": {
        "tr": "Çok fazla giriş denemesi. {seconds} saniye sonra tekrar deneyin.",
        "pl": "Zbyt wiele prób logowania. Spróbuj ponownie za {seconds} s.",
    },
    "unauthorized": {
        "tr": "Oturumunuz sona erdi. Lütfen tekrar giriş yapın.",
        "pl": "Sesja wygasła. Zaloguj się ponownie.",
    },
    "unknown_thread": {
        "tr": "Bu siparişe ait bir yazışma bulunamadı.",
        "pl": "Nie znaleziono korespondencji dotyczącej tego zamówienia.",
    },
    "unknown_question": {
        "tr": "Soru bulunamadı.",
        "pl": "Nie znaleziono pytania.",
    },
    "unknown_order": {
        "tr": "Sipariş bulunamadı.",
        "pl": "Nie znaleziono zamówienia.",
    },
    "already_answered": {
        "tr": "Bu soru zaten yanıtlandı; yanıt bir kez gönderilir.",
        "pl": "Na to pytanie już odpowiedziano; odpowiedź wysyła się tylko raz.",
    },
    "thread_closed": {
        "tr": "Bu soru platform desteği tarafından kapatıldı; artık yanıt alınmıyor.",
        "pl": "To pytanie zostało zamknięte przez obsługę platformy; nie można już na nie odpowiedzieć.",
    },
    "empty_answer": {
        "tr": "Boş yanıt gönderilemez. Lütfen alıcının sorusunu eksiksiz yanıtlayın.",
        "pl": "Nie można wysłać pustej odpowiedzi. Odpowiedz wyczerpująco na pytanie kupującego.",
    },
    "answer_too_long": {
        "tr": "Yanıt çok uzun (en fazla {limit} karakter).",
        "pl": "Odpowiedź jest za długa (maksymalnie {limit} znaków).",
    },
    "note_too_long": {
        "tr": "Not çok uzun (en fazla {limit} karakter).",
        "pl": "Notatka jest za długa (maksymalnie {limit} znaków).",
    },
    "answer_blocked": {
        "tr": "Yanıtınız gönderilmedi: {reasons}",
        "pl": "Odpowiedź nie została wysłana: {reasons}",
    },
    "note_blocked": {
        "tr": "Durum güncellemesi gönderilmedi, nottaki sorun: {reasons}",
        "pl": "Aktualizacja statusu nie została wysłana, problem w notatce: {reasons}",
    },
    "unknown_status": {
        "tr": "Lütfen listeden bir durum seçin.",
        "pl": "Wybierz status z listy.",
    },
    "shipping_details_required": {
        "tr": "Kargoya verildi bildirimi için kargo firması, takip numarası ve tahmini teslim tarihi gerekir.",
        "pl": "Do informacji o wysyłce potrzebne są przewoźnik, numer przesyłki i przewidywana data doręczenia.",
    },
    "unknown_carrier": {
        "tr": "Lütfen platformun kargo firmalarından birini seçin: {carriers}.",
        "pl": "Wybierz jednego z przewoźników platformy: {carriers}.",
    },
    "invalid_tracking_number": {
        "tr": "Takip numarası geçersiz (4-40 harf veya rakam).",
        "pl": "Nieprawidłowy numer przesyłki (4-40 liter lub cyfr).",
    },
    "invalid_expected_date": {
        "tr": "Tahmini teslim tarihi geçmişte olamaz.",
        "pl": "Przewidywana data doręczenia nie może być w przeszłości.",
    },
    "invalid_filter": {
        "tr": "Geçersiz filtre.",
        "pl": "Nieprawidłowy filtr.",
    },
    "invalid_order_number": {
        "tr": "Sipariş numarası TR ve 8 rakamdan oluşur, ör. TR48213907.",
        "pl": "Numer zamówienia to PL i 8 cyfr, np. PL30571246.",
    },
    "agents_only": {
        "tr": "Bu bilgi yalnızca platform desteğine açıktır.",
        "pl": "Te dane są dostępne tylko dla obsługi platformy.",
    },
}

# Why an answer (or a status note) was refused; the seeds' rules, worded for a seller.
REASONS: dict[str, dict[str, str]] = {
    "phone_number": {
        "tr": "telefon numarası paylaşılamaz, tüm iletişim platform üzerinden yürür",
        "pl": "nie wolno podawać numeru telefonu, cała komunikacja odbywa się na platformie",
    },
    "email": {
        "tr": "e-posta adresi paylaşılamaz, tüm iletişim platform üzerinden yürür",
        "pl": "nie wolno podawać adresu e-mail, cała komunikacja odbywa się na platformie",
    },
    "link": {
        "tr": "bağlantı (link) paylaşılamaz",
        "pl": "nie wolno wysyłać linków",
    },
    "social_handle": {
        "tr": "WhatsApp, Instagram, Telegram gibi platform dışı kanallara yönlendirme yapılamaz",
        "pl": "nie wolno kierować kupującego do WhatsAppa, Instagrama, Telegramu ani innych kanałów poza platformą",
    },
    "off_platform": {
        "tr": "ödeme, teslimat veya anlaşma platform dışında yapılamaz (havale, elden ödeme, özelden yazışma)",
        "pl": "płatności, dostawy ani ustalenia poza platformą są zabronione (przelew, gotówka, prywatne wiadomości)",
    },
    "insult": {
        "tr": "hakaret veya kaba ifade içeremez",
        "pl": "nie może zawierać obraźliwych ani wulgarnych słów",
    },
    "bargaining": {
        "tr": "platformdaki fiyat dışında pazarlık veya fiyat teklifi yapılamaz",
        "pl": "nie wolno negocjować ani proponować innej ceny niż na platformie",
    },
    "carrier_request": {
        "tr": "kargo firması platform dışında değiştirilemez",
        "pl": "nie wolno uzgadniać innego przewoźnika poza platformą",
    },
    "marketing": {
        "tr": "alıcıya reklam, kampanya, indirim kodu veya mağaza tanıtımı gönderilemez",
        "pl": "nie wolno wysyłać kupującemu reklam, promocji, kodów rabatowych ani zachęt do zakupów",
    },
}


def text(code: str, language: str, **values: object) -> str:
    lang = language if language in LANGUAGES else "tr"
    return TEXTS[code][lang].format(**values)


def reason_texts(reasons: list[str], language: str) -> list[str]:
    lang = language if language in LANGUAGES else "tr"
    return [REASONS[r][lang] if r in REASONS else r for r in reasons]


def refusal_text(code: str, language: str, reasons: list[str] | None = None, **values: object) -> str:
    """The catalogue of the portal's refusals: moderation reasons listed in the seller's language."""
    if reasons:
        return text(code, language, reasons="; ".join(reason_texts(reasons, language)))
    return text(code, language, **values)


def seller_error(code: str, status: int = 422, reasons: list[str] | None = None, **values: object) -> DomainError:
    """A refusal of the seller api, worded in the seller's language.

    The body carries the code, the message, the moderation ``reasons`` with their ``reason_messages``,
    and the values a client can show (``limit``, ``carriers``).
    """
    reasons = list(reasons or [])
    if not reasons:
        return DomainError(code, status, catalogue=refusal_text, **values)
    return DomainError(
        code,
        status,
        catalogue=refusal_text,
        worded=lambda language: {"reason_messages": reason_texts(reasons, language)},
        reasons=reasons,
        **values,
    )
