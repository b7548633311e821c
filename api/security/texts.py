"""What the api's guards (rate limits, body and frame caps, JSON checks, the socket origin) tell a
buyer, in Turkish and Polish.

The guards run before any conversation rule, so their words live here, below the gateway; the
gateway's catalogue (api/gateway/texts.py) includes them, so a buyer-facing code is worded the
same wherever it is raised.
"""

from __future__ import annotations

LANGUAGES = ("tr", "pl")

GUARD_TEXTS: dict[str, dict[str, str]] = {
    "invalid_json": {
        "tr": "Mesaj okunamadı (geçersiz biçim). Lütfen tekrar deneyin.",
        "pl": "Nie udało się odczytać wiadomości (nieprawidłowy format). Spróbuj ponownie.",
    },
    "request_too_large": {
        "tr": "İstek çok büyük olduğu için işlenmedi. Lütfen daha kısa bir mesaj ya da daha küçük bir dosya gönderin.",
        "pl": "Żądanie jest za duże i nie zostało przetworzone. Wyślij krótszą wiadomość albo mniejszy plik.",
    },
    "frame_too_large": {
        "tr": "Mesaj çok büyük olduğu için bağlantı kapatıldı (en fazla {limit_kb} KB). "
        "Lütfen daha kısa yazıp tekrar bağlanın.",
        "pl": "Połączenie zamknięto, bo wiadomość była za duża (maksymalnie {limit_kb} KB). "
        "Napisz krócej i połącz się ponownie.",
    },
    "too_many_connections": {
        "tr": "Bu ağdan çok fazla açık sohbet bağlantısı var. "
        "Lütfen diğer sekmeleri kapatıp biraz sonra tekrar deneyin.",
        "pl": "Z tej sieci jest otwartych zbyt wiele połączeń czatu. Zamknij inne karty i spróbuj ponownie za chwilę.",
    },
    "origin_not_allowed": {
        "tr": "Bu sayfadan sohbet başlatılamaz.",
        "pl": "Z tej strony nie można rozpocząć rozmowy.",
    },
    "too_many_messages": {
        "tr": "Çok hızlı mesaj gönderiyorsunuz. Bu mesaj kaydedilmedi; lütfen {seconds} saniye sonra tekrar gönderin.",
        "pl": "Wysyłasz wiadomości zbyt szybko. Ta wiadomość nie została zapisana; wyślij ją ponownie za {seconds} s.",
    },
    "too_many_starts": {
        "tr": "Kısa sürede çok fazla sohbet başlatıldı. Lütfen {seconds} saniye sonra tekrar deneyin.",
        "pl": "W krótkim czasie rozpoczęto zbyt wiele rozmów. Spróbuj ponownie za {seconds} s.",
    },
    "too_many_uploads": {
        "tr": "Çok hızlı dosya gönderiyorsunuz. Bu dosya kaydedilmedi; lütfen {seconds} saniye sonra tekrar gönderin.",
        "pl": "Wysyłasz pliki zbyt szybko. Ten plik nie został zapisany; wyślij go ponownie za {seconds} s.",
    },
    "too_many_searches": {
        "tr": "Çok fazla arama yaptınız. Lütfen {seconds} saniye sonra tekrar deneyin.",
        "pl": "Wyszukujesz zbyt często. Spróbuj ponownie za {seconds} s.",
    },
    "attachment_too_large": {
        "tr": "Dosya çok büyük (en fazla {limit_mb} MB). Lütfen daha küçük bir görsel gönderin.",
        "pl": "Plik jest za duży (maksymalnie {limit_mb} MB). Wyślij mniejszy obraz.",
    },
}


def megabytes(size: int) -> str:
    """A byte count as MB the way both markets write it: 5, 0,25 (decimal comma, no trailing zeros)."""
    shown = f"{size / 1024 / 1024:.2f}".rstrip("0").rstrip(".")
    return shown.replace(".", ",")


def text(code: str, language: str, **values: object) -> str:
    lang = language if language in LANGUAGES else "tr"
    return GUARD_TEXTS[code][lang].format(**values)
