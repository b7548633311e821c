"""Faults survived: Rasa killed and restarted, the action server killed, the api killed.

These tests own their processes (not the shared `stack`), because they kill them. Every
kill is SIGKILL: no graceful shutdown to hide behind. After each fault the buyer must get
an answer in their language, the message they sent must be stored exactly once, and once
the process is back the conversation continues where it was (Rasa's tracker is in its
SQL store, the gateway's history in the app DB).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
from contextlib import ExitStack
from pathlib import Path

import pytest
from websockets.sync.client import connect

from ops.servers import (
    SERVICE_TOKEN,
    action_server,
    api_server,
    demo_buyer_token,
    http_json,
    rasa_server,
    reserved_ports,
)
from tests.support.stack import Chat, texts

UNAVAILABLE = {"tr": "asistanımız şu anda yanıt veremiyor", "pl": "nasz asystent nie może teraz odpowiedzieć"}
SAY = {
    "return": {"tr": "aldığım ürünü iade etmek istiyorum", "pl": "chcę zwrócić produkt, który dostałem"},
    "track": {"tr": "siparişim nerede", "pl": "gdzie jest moja paczka"},
}


class Processes:
    """api + actions + Rasa on fixed ports, each of which a test can kill and start again.

    The three ports stay reserved (ops.servers registry) until ``close``, so nobody else gets one
    while its process is down between a kill and the restart."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.reserved = ExitStack()
        self.api_port, self.rasa_port, self.action_port = self.reserved.enter_context(reserved_ports(3))
        self.api_url = f"http://127.0.0.1:{self.api_port}"
        self.rasa_url = f"http://127.0.0.1:{self.rasa_port}"
        self.action_url = f"http://127.0.0.1:{self.action_port}"
        self.stacks: dict[str, ExitStack] = {}
        self.processes: dict[str, object] = {}

    def _start(self, name: str, manager) -> None:
        stack = ExitStack()
        stack.enter_context(manager)
        self.stacks[name] = stack

    def start_api(self) -> None:
        self._start("api", api_server(self.workdir, self.api_port, self.rasa_url, self.action_url))

    def start_actions(self) -> None:
        self._start("actions", action_server(self.workdir, self.action_port, self.api_url))

    def start_rasa(self) -> None:
        self._start("rasa", rasa_server(self.workdir, self.rasa_port, self.action_url))

    def kill(self, name: str) -> None:
        """SIGKILL the process group listening on the named port, then forget its context."""
        port = {"api": self.api_port, "rasa": self.rasa_port, "actions": self.action_port}[name]
        pids = _listening_pids(port)
        assert pids, f"nothing listens on {name}'s port {port}"
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(os.getpgid(pid), signal.SIGKILL)
        self.stacks.pop(name).close()  # reaps the dead process; stop() is a no-op on it

    def close(self) -> None:
        for stack in reversed(list(self.stacks.values())):
            stack.close()
        self.reserved.close()


def _listening_pids(port: int) -> list[int]:
    """Who listens on 127.0.0.1:port, read from /proc (no lsof on a bare machine)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not Path(table).exists():
            continue
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if int(fields[1].split(":")[1], 16) == port and fields[3] == "0A":  # LISTEN
                inodes.add(fields[9])
    pids = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            for fd in os.listdir(f"/proc/{pid}/fd"):
                if os.readlink(f"/proc/{pid}/fd/{fd}") in {f"socket:[{i}]" for i in inodes}:
                    pids.append(int(pid))
                    break
        except OSError:
            continue
    return pids


@pytest.fixture(scope="module")
def processes(tmp_path_factory: pytest.TempPathFactory):
    """One stack for the module: every test starts again what it killed, so the next finds all three."""
    running = Processes(tmp_path_factory.mktemp("faults"))
    running.start_api()
    running.start_actions()
    running.start_rasa()
    yield running
    running.close()


def open_chat(processes: Processes, language: str, buyer: str) -> Chat:
    ws = connect(processes.api_url.replace("http://", "ws://") + "/api/v1/chat/ws", open_timeout=10)
    token = demo_buyer_token(processes.api_url, buyer)
    ws.send(json.dumps({"type": "start", "language": language, "buyer_token": token}))
    session = json.loads(ws.recv(timeout=10))
    assert session["type"] == "session", session
    return Chat(ws, session)


def internal(processes: Processes, path: str) -> dict:
    status, body = http_json(
        f"{processes.api_url}/api/v1/internal{path}", headers={"Authorization": f"Bearer {SERVICE_TOKEN}"}
    )
    assert status == 200, body
    return body


def stored_buyer_texts(processes: Processes, chat: Chat) -> list[str]:
    conversation = chat.session["conversation"]
    status, body = http_json(
        f"{processes.api_url}/api/v1/conversations/{conversation['conversation_id']}/messages",
        headers={"X-Conversation-Token": conversation["token"]},
    )
    assert status == 200, body
    return [m["text"] for m in body["messages"] if m["sender"] == "buyer"]


@pytest.mark.parametrize("lang", ["tr", "pl"])
def test_rasa_killed_mid_form_then_restarted_continues_the_form(processes, lang):
    buyer = f"{lang}-0004"
    eligible = next(
        order["number"]
        for order in internal(processes, f"/buyers/{buyer}/orders?purpose=return")["orders"]
        if internal(processes, f"/buyers/{buyer}/orders/{order['number']}/return-eligibility")["eligible"]
    )
    chat = open_chat(processes, lang, buyer)
    chat.say(SAY["return"][lang])
    order_buttons = list(chat.last_buttons)
    pick = next(i for i, b in enumerate(order_buttons) if b["title"].startswith(eligible))

    processes.kill("rasa")
    during = texts(chat.click(pick))
    assert UNAVAILABLE[lang] in during, during

    processes.start_rasa()  # same tracker store file: the form is still active
    chat.last_buttons = order_buttons
    after = texts(chat.click(pick))
    assert UNAVAILABLE[lang] not in after
    # The form went on to its next question (the product, or the reason) instead of starting again.
    assert chat.last_buttons and chat.last_buttons != order_buttons, after
    # Nothing lost, nothing doubled: the click during the outage is stored once, like the retry.
    assert stored_buyer_texts(processes, chat) == [SAY["return"][lang], *[order_buttons[pick]["title"]] * 2]


@pytest.mark.parametrize("lang", ["tr", "pl"])
def test_action_server_killed_the_buyer_still_gets_an_answer(processes, lang):
    chat = open_chat(processes, lang, f"{lang}-0004")
    processes.kill("actions")
    during = texts(chat.say(SAY["track"][lang]))
    assert UNAVAILABLE[lang] in during, during

    processes.start_actions()
    after = texts(chat.say(SAY["track"][lang]))
    assert UNAVAILABLE[lang] not in after and after
    assert stored_buyer_texts(processes, chat) == [SAY["track"][lang]] * 2


def test_api_killed_and_restarted_a_resent_message_is_stored_once(processes):
    chat = open_chat(processes, "tr", "tr-0005")
    conversation = chat.session["conversation"]
    chat.say("merhaba")
    processes.kill("api")
    with contextlib.suppress(Exception):
        chat.ws.close()

    processes.start_api()  # same database file
    ws = connect(processes.api_url.replace("http://", "ws://") + "/api/v1/chat/ws", open_timeout=10)
    resume = {"type": "start", "conversation_id": conversation["conversation_id"], "token": conversation["token"]}
    ws.send(json.dumps(resume))
    session = json.loads(ws.recv(timeout=10))
    assert [m["text"] for m in session["history"] if m["sender"] == "buyer"] == ["merhaba"]
    resumed = Chat(ws, session)
    # The widget's outbox resends with the same client id: once stored, once answered.
    for _ in range(2):
        ws.send(json.dumps({"type": "message", "text": SAY["track"]["tr"], "client_message_id": "c-1"}))
        while json.loads(ws.recv(timeout=90)) != {"type": "typing", "on": False}:
            pass
    assert stored_buyer_texts(processes, resumed) == ["merhaba", SAY["track"]["tr"]]
    ws.close()
