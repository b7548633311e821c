"""``make shell``: chat with the assistant in a terminal, through the api like the widget does.

Starts the three processes (as ``make run`` does) unless they already run, signs
in as a demo buyer, and prints bot buttons as numbered choices.
"""

from __future__ import annotations

import argparse
import atexit
import os
import subprocess
import sys
import time
import uuid

import httpx

BASE = os.environ.get("MD_API_URL", "http://127.0.0.1:8000")


def _healthy() -> bool:
    try:
        return httpx.get(f"{BASE}/healthz", timeout=3).status_code == 200
    except httpx.HTTPError:
        return False


def _ensure_stack() -> None:
    if _healthy():
        return
    log = open("var/shell-stack.log", "ab")  # noqa: SIM115 - lives as long as the stack
    stack = subprocess.Popen(
        [".venv/bin/honcho", "start", "-f", "Procfile", "rasa", "actions", "api"], stdout=log, stderr=log
    )
    atexit.register(stack.terminate)
    print("starting rasa, actions and api (logs in var/shell-stack.log) ...", flush=True)
    for _ in range(300):
        if _healthy():
            return
        time.sleep(2)
    sys.exit("the stack did not become healthy; see var/shell-stack.log")


def main() -> None:
    parser = argparse.ArgumentParser(prog="make shell")
    parser.add_argument("--language", choices=["tr", "pl"], default=os.environ.get("LANG_CHAT", "tr"))
    parser.add_argument("--buyer", default=None, help="demo buyer id (default: tr-0001 or pl-0001)")
    args = parser.parse_args()
    buyer = args.buyer or f"{args.language}-0001"
    _ensure_stack()
    # Signed in as the demo page does it: a buyer token from the demo issuer, never a bare buyer id.
    issued = httpx.get(f"{BASE}/api/v1/demo/buyer-token", params={"buyer_id": buyer}, timeout=10)
    if issued.status_code != 200:
        sys.exit(f"no demo sign-in for {buyer!r} (HTTP {issued.status_code}; unknown buyer, or MD_DEMO_SIGN_IN off)")
    start = {"language": args.language, "buyer_token": issued.json()["token"]}
    conv = httpx.post(f"{BASE}/api/v1/conversations", json=start, timeout=10).json()
    headers = {"X-Conversation-Token": conv["token"]}
    print(f"signed in as {buyer}; type a message, a button number, or Ctrl-D to quit")
    buttons: list[dict] = []
    while True:
        try:
            text = input("you> ").strip()
        except (EOFError, KeyboardInterrupt):
            print()
            return
        body = {"text": text, "client_message_id": uuid.uuid4().hex}
        if text.isdigit() and 0 < int(text) <= len(buttons):
            chosen = buttons[int(text) - 1]
            body.update(text=chosen["title"], payload=chosen["payload"])
        reply = httpx.post(
            f"{BASE}/api/v1/conversations/{conv['conversation_id']}/messages", json=body, headers=headers, timeout=60
        )
        if reply.status_code != 200:
            print("!!", reply.json().get("detail", {}).get("message", reply.text))
            continue
        buttons = []
        for message in reply.json()["replies"]:
            print(f"bot> {message['text']}")
            for button in message["buttons"]:
                buttons.append(button)
                print(f"     [{len(buttons)}] {button['title']}")


if __name__ == "__main__":
    main()
