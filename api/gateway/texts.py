"""Every string the gateway itself shows a buyer, in Turkish and Polish.

The gateway speaks only when the bot can't: bad input, an unknown conversation,
Rasa down. Codes are stable for clients; texts are for people.
"""

from __future__ import annotations

from api.security.texts import GUARD_TEXTS, LANGUAGES, megabytes

__all__ = ["LANGUAGES", "TEXTS", "megabytes", "text"]

TEXTS: dict[str, dict[str, str]] = {
    **GUARD_TEXTS,  # rate limits, size caps, malformed JSON, the socket origin (api/security/texts.py)
    "empty_message": {
        "tr": "Boş mesaj gönderilemez. Lütfen sorunuzu yazın.",
        "pl": "Nie można wysłać pustej wiadomości. Napisz, w czym możemy pomóc.",
    },
    "message_too_long": {
        "tr": "Mesajınız çok uzun (en fazla {limit} karakter). Lütfen kısaltıp tekrar gönderin.",
        "pl": "Twoja wiadomość jest za długa (maksymalnie {limit} znaków). Skróć ją i wyślij ponownie.",
    },
    "invalid_frame": {
        "tr": "Mesaj beklenen biçimde değil. Lütfen sayfayı yenileyip tekrar deneyin.",
        "pl": "Wiadomość ma nieoczekiwany format. Odśwież stronę i spróbuj ponownie.",
    },
    "no_session": {
        "tr": "Sohbet henüz başlamadı. Lütfen sayfayı yenileyin.",
        "pl": "Rozmowa jeszcze się nie rozpoczęła. Odśwież stronę.",
    },
    "unknown_conversation": {
        "tr": "Bu sohbet bulunamadı. Yeni bir sohbet başlatabilirsiniz.",
        "pl": "Nie znaleziono tej rozmowy. Możesz rozpocząć nową.",
    },
    "unknown_buyer": {
        "tr": "Müşteri hesabı bulunamadı. Lütfen tekrar giriş yapın.",
        "pl": "Nie znaleziono konta kupującego. Zaloguj się ponownie.",
    },
    "invalid_buyer_token": {
        "tr": "Oturumunuzun süresi dolmuş. Lütfen sayfayı yenileyip tekrar giriş yapın.",
        "pl": "Twoja sesja wygasła. Odśwież stronę i zaloguj się ponownie.",
    },
    "buyer_token_required": {
        "tr": "Hesabınızla ilgili yardım için giriş yapmanız gerekiyor. Lütfen sayfayı yenileyip tekrar giriş yapın.",
        "pl": "Aby uzyskać pomoc dotyczącą konta, musisz się zalogować. Odśwież stronę i zaloguj się ponownie.",
    },
    "buyer_token_mismatch": {
        "tr": "Oturum bilgileriniz uyuşmuyor. Lütfen sayfayı yenileyip tekrar giriş yapın.",
        "pl": "Dane logowania się nie zgadzają. Odśwież stronę i zaloguj się ponownie.",
    },
    "csat_not_requested": {
        "tr": "Değerlendirme yalnızca müşteri temsilcisiyle görüşmeniz bittiğinde yapılabilir.",
        "pl": "Ocenę można wystawić dopiero po zakończeniu rozmowy z konsultantem.",
    },
    "csat_already_given": {
        "tr": "Bu görüşmeyi zaten değerlendirdiniz; teşekkür ederiz.",
        "pl": "Ta rozmowa została już przez Ciebie oceniona; dziękujemy.",
    },
    "unsupported_language": {
        "tr": "Desteklenen diller: Türkçe (tr) ve Lehçe (pl).",
        "pl": "Obsługiwane języki: turecki (tr) i polski (pl).",
    },
    "attachment_not_image": {
        "tr": "Yalnızca görsel dosyaları (JPEG, PNG, WebP, GIF) gönderebilirsiniz.",
        "pl": "Możesz wysłać tylko obrazy (JPEG, PNG, WebP, GIF).",
    },
    "attachment_missing": {
        "tr": "Dosya bulunamadı. Lütfen bir görsel seçip tekrar deneyin.",
        "pl": "Nie znaleziono pliku. Wybierz obraz i spróbuj ponownie.",
    },
    "unknown_attachment": {
        "tr": "Bu dosya bulunamadı.",
        "pl": "Nie znaleziono tego pliku.",
    },
    "bot_unavailable": {
        "tr": (
            "Üzgünüm, asistanımız şu anda yanıt veremiyor. Mesajınız kaydedildi; "
            "birkaç dakika sonra tekrar deneyebilir ya da canlı desteğe yazabilirsiniz."
        ),
        "pl": (
            "Przepraszamy, nasz asystent nie może teraz odpowiedzieć. Twoja wiadomość została "
            "zapisana; spróbuj ponownie za kilka minut albo napisz do konsultanta."
        ),
    },
    # Sent when the gateway masked a card, ID, IBAN, phone or e-mail out of a buyer's message.
    "personal_data_masked": {
        "tr": (
            "Güvenliğiniz için kart, T.C. kimlik, IBAN, telefon numarası ve e-posta gibi kişisel bilgileri "
            "sohbette paylaşmayın; mesajınızdaki bu bilgileri gizledik. Siparişinizle ilgili yardım için "
            "sipariş numaranız yeterli."
        ),
        "pl": (
            "Dla Twojego bezpieczeństwa nie podawaj na czacie danych osobowych, takich jak numer karty, PESEL, "
            "IBAN, numer telefonu czy e-mail; ukryliśmy je w Twojej wiadomości. Do pomocy w sprawie zamówienia "
            "wystarczy jego numer."
        ),
    },
    "bot_back": {
        "tr": (
            "Müşteri temsilcimizle görüşmeniz tamamlandı; dijital asistanınız yeniden sizinle. "
            "Aldığınız desteği puanlar mısınız?"
        ),
        "pl": "Rozmowa z konsultantem się zakończyła; asystent znowu jest z Tobą. Jak oceniasz otrzymaną pomoc?",
    },
    "handover_to_person": {
        "tr": (
            "Sizi bir müşteri temsilcisine aktarıyorum; sıradaki yeriniz: {position}. "
            "Yazdıklarınızın hepsi temsilciye ulaşacak."
        ),
        "pl": (
            "Przekazuję Cię konsultantowi; Twoje miejsce w kolejce: {position}. "
            "Wszystko, co napiszesz, trafi do konsultanta."
        ),
    },
    "bot_unavailable_queued": {
        "tr": (
            "Üzgünüm, asistanımız şu anda yanıt veremiyor. Sizi bir müşteri temsilcisine aktarıyorum; "
            "sıradaki yeriniz: {position}. Yazdıklarınızın hepsi temsilciye ulaşacak."
        ),
        "pl": (
            "Przepraszamy, nasz asystent nie może teraz odpowiedzieć. Przekazuję Cię konsultantowi; "
            "Twoje miejsce w kolejce: {position}. Wszystko, co napiszesz, trafi do konsultanta."
        ),
    },
    # The widget's messages to a seller (api/routers/seller_questions.py).
    "sign_in_required": {
        "tr": "Satıcıya yazmak için giriş yapmanız gerekiyor. Lütfen hesabınıza giriş yapıp tekrar deneyin.",
        "pl": "Aby napisać do sprzedawcy, musisz się zalogować. Zaloguj się na swoje konto i spróbuj ponownie.",
    },
    "order_not_found": {
        "tr": "Hesabınızda bu numarayla bir sipariş bulunamadı. Lütfen sipariş numarasını kontrol edin.",
        "pl": "Na Twoim koncie nie ma zamówienia o tym numerze. Sprawdź numer zamówienia.",
    },
    "reply_not_found": {
        "tr": "Yanıtlamak istediğiniz satıcı mesajı bulunamadı.",
        "pl": "Nie znaleziono wiadomości sprzedawcy, na którą chcesz odpowiedzieć.",
    },
    "question_not_found": {
        "tr": "Satıcıya gönderdiğiniz bu mesaj bulunamadı.",
        "pl": "Nie znaleziono tej wiadomości do sprzedawcy.",
    },
    "seller_message_blocked": {
        "tr": (
            "Mesajınız şunları içerdiği için satıcıya gönderilmedi: {reasons}. İletişim, ödeme ve gönderim "
            "yalnızca platform üzerinden yürütülür; lütfen mesajınızı bunlar olmadan yeniden yazın."
        ),
        "pl": (
            "Wiadomość nie została wysłana do sprzedawcy, bo zawiera: {reasons}. Kontakt, płatności i wysyłka "
            "odbywają się tylko przez platformę — napisz ją jeszcze raz bez tego."
        ),
    },
    "seller_block_phone_number": {"tr": "telefon numarası", "pl": "numer telefonu"},
    "seller_block_email": {"tr": "e-posta adresi", "pl": "adres e-mail"},
    "seller_block_link": {"tr": "bağlantı (link)", "pl": "link"},
    "seller_block_social_handle": {
        "tr": "sosyal medya veya mesajlaşma uygulaması bilgisi (WhatsApp, Instagram gibi)",
        "pl": "kontakt w mediach społecznościowych lub komunikatorze (np. WhatsApp, Instagram)",
    },
    "seller_block_off_platform": {
        "tr": "platform dışında ödeme veya iletişim teklifi",
        "pl": "propozycję płatności lub kontaktu poza platformą",
    },
    "seller_block_insult": {"tr": "hakaret içeren ifadeler", "pl": "obraźliwe słowa"},
    "seller_block_bargaining": {"tr": "fiyat pazarlığı", "pl": "targowanie się o cenę"},
    "seller_block_carrier_request": {
        "tr": "başka bir kargo firmasıyla gönderim talebi",
        "pl": "prośbę o wysyłkę innym przewoźnikiem",
    },
    # Life cycle (api/helpdesk/idle.py): a bot conversation idle for MD_BOT_IDLE_MINUTES closes with this.
    "idle_closed": {
        "tr": "Bir süredir yazmadığınız için sohbeti kapatıyorum. Bir şeye ihtiyacınız olursa buradayım.",
        "pl": "Ponieważ od dłuższego czasu nic nie piszesz, zamykam rozmowę. Jestem tutaj, jeśli będziesz czegoś "
        "potrzebować.",
    },
    # A queued buyer who left: the request is kept as a ticket (found when the widget opens again).
    "queue_left_ticket": {
        "tr": "Sıradan ayrıldınız; talebinizi {reference} numarasıyla kaydettik. Ekibimiz size buradan dönecek.",
        "pl": "Opuszczono kolejkę; zapisaliśmy zgłoszenie pod numerem {reference}. Nasz zespół odpowie tutaj.",
    },
}


def text(code: str, language: str, **values: object) -> str:
    lang = language if language in LANGUAGES else "tr"
    return TEXTS[code][lang].format(**values)
