"""Run the api under uvicorn with the transport settings the security rules rely on.

``python -m api.serve --host 127.0.0.1 --port 8000`` rather than a bare ``uvicorn api.main:app``:

- uvicorn's own proxy-header handling is off (it trusts X-Forwarded-For from 127.0.0.1 by default);
  ``TrustedProxyHeaders`` believes it only from ``MD_TRUSTED_PROXIES``;
- WebSocket frames are capped at ``MD_MAX_REQUEST_BYTES`` by the server too, so an over-size frame
  is refused before it is buffered (close code 1009), not after;
- no ``server`` header.
"""

from __future__ import annotations

import argparse

import uvicorn

from api.settings import get_settings


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m api.serve", description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    # A socket the parent already bound (tests: no window between choosing a port and binding it).
    parser.add_argument("--fd", type=int, default=None, help="serve on this inherited, bound socket")
    parser.add_argument("--log-level", default="info")
    args = parser.parse_args(argv)
    settings = get_settings()
    uvicorn.run(
        "api.main:app",
        host=args.host,
        port=args.port,
        fd=args.fd,
        log_level=args.log_level,
        proxy_headers=False,
        ws_max_size=settings.max_request_bytes,
        server_header=False,
    )


if __name__ == "__main__":
    main()
