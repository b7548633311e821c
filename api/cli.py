"""Operator commands: ``python -m api.cli migrate|seed|announce|create-agent|create-seller-user|purge|erase-buyer``.

``seed`` is idempotent: it fills an empty commerce database and leaves a seeded
one alone, so ``make run`` can call it every time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import func, select

from api.settings import get_settings

ALEMBIC_INI = Path(__file__).resolve().parent / "alembic.ini"


def migrate(database_url: str | None = None) -> None:
    config = Config(str(ALEMBIC_INI))
    url = database_url or get_settings().database_url
    config.attributes["database_url"] = url
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    command.upgrade(config, "head")


def seed(force: bool = False) -> str:
    from api.commerce.demo_data import generate
    from api.commerce.models import Buyer
    from api.db import get_sessionmaker
    from api.support.demo_data import generate_support

    settings = get_settings()
    today = dt.date.fromisoformat(settings.demo_today) if settings.demo_today else dt.date.today()
    with get_sessionmaker()() as session:
        if session.scalar(select(func.count()).select_from(Buyer)) and not force:
            sellers = seed_demo_sellers(session)  # added after the first seed: created on the next run
            return "demo data already present; nothing to do" + (f"; demo seller users: {sellers}" if sellers else "")
        summary = generate(session, seed=settings.demo_seed, today=today)
        support = generate_support(session, seed=settings.demo_seed, today=today)
        session.commit()
        from api.helpdesk.auth import create_agent

        create_agent(
            session,
            username="demo",
            display_name="Deniz",
            password=settings.demo_agent_password,
            languages=["tr", "pl"],
            capacity=5,
            role="supervisor",
        )
        sellers = seed_demo_sellers(session)
    return f"seeded demo data: {summary}; support: {support}; demo seller users: {sellers}"


def seed_demo_sellers(session) -> dict[str, str]:
    """The seller portal's demo users (satici, sprzedawca), if missing; password MD_DEMO_SELLER_PASSWORD."""
    from api.clock import utcnow
    from api.sellers.demo_data import seed_demo_sellers as create

    return create(session, get_settings().demo_seller_password, utcnow())


def announce(base_url: str = "http://127.0.0.1:8000", timeout: float = 600.0) -> None:
    """Wait until api, Rasa and the action server are all healthy, print the demo URL, then idle.

    It idles instead of exiting because honcho stops every process when one ends.
    """
    import time

    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base_url}/healthz", timeout=3).status_code == 200:
                print(
                    f"\n  marketdesk is ready: open {base_url}/ and ask 'siparişim nerede' "
                    f"or 'gdzie jest moja paczka'\n"
                    f"  agent console: {base_url}/console (user 'demo', password from MD_DEMO_AGENT_PASSWORD, "
                    f"default 'demo-agent-2026')\n"
                    f"  seller portal: {base_url}/seller (users 'satici' / 'sprzedawca', password from "
                    f"MD_DEMO_SELLER_PASSWORD, default 'demo-seller-2026')\n",
                    flush=True,
                )
                break
        except httpx.HTTPError:
            pass
        time.sleep(2)
    else:
        print(f"marketdesk did not become healthy within {timeout:.0f} s; see {base_url}/healthz", flush=True)
    while True:
        time.sleep(3600)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m api.cli")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="apply Alembic migrations")
    sub.add_parser("seed", help="migrate, then load demo commerce data if the database is empty")
    sub.add_parser("announce", help="print the demo URL once every process is healthy")
    agent = sub.add_parser("create-agent", help="create a console user (password from MD_AGENT_PASSWORD or prompted)")
    agent.add_argument("username")
    agent.add_argument("--name", default="", help="name the buyer sees, e.g. 'Ayşe'")
    agent.add_argument("--languages", default="tr,pl", help="comma-separated: tr,pl")
    agent.add_argument("--skills", default="", help="comma-separated topics (intent names)")
    agent.add_argument("--capacity", type=int, default=3, help="concurrent chats")
    agent.add_argument("--role", default="agent", choices=["agent", "supervisor"])
    seller = sub.add_parser(
        "create-seller-user",
        help="create a seller portal user (password from MD_SELLER_PASSWORD or prompted)",
    )
    seller.add_argument("username")
    seller.add_argument("--seller", required=True, help="the seller's id, e.g. tr-s-01")
    seller.add_argument("--name", default="", help="the staff member's name shown in the portal")
    seller.add_argument("--language", required=True, choices=["tr", "pl"], help="language of their portal")
    remove = sub.add_parser(
        "remove-agent", help="take a console user out: sessions end (live sockets within 30 s), chats requeued"
    )
    remove.add_argument("username")
    remove.add_argument("--by", required=True, help="who asked for it (recorded as operator:NAME in the audit log)")
    purge = sub.add_parser("purge", help="delete conversations past MD_RETENTION_DAYS (app DB, files, Rasa tracker)")
    purge.add_argument("--days", type=int, default=None, help="override MD_RETENTION_DAYS for this run")
    erase = sub.add_parser("erase-buyer", help="erase a buyer's conversations and anonymise their words (audited)")
    erase.add_argument("buyer_id")
    erase.add_argument("--by", required=True, help="who asked for it (recorded as operator:NAME in the audit log)")
    events = sub.add_parser(
        "demo-events", help="move a demo order along (ship/out/deliver/delay/return/refund): the buyer gets a notice"
    )
    events.add_argument("--action", default="delay", choices=["ship", "out", "deliver", "delay", "return", "refund"])
    events.add_argument("--order", default="", help="order number; default: the buyer's newest order that fits")
    events.add_argument("--buyer", default="tr-0001", help="demo buyer whose order moves (without --order)")
    args = parser.parse_args(argv)
    if args.command == "announce":
        announce()
        return 0
    migrate()
    if args.command == "seed":
        if get_settings().environment == "production":  # demo buyers and demo logins have no place there
            print("not seeded: MD_ENVIRONMENT=production (migrations applied; add users with the CLI)", file=sys.stderr)
            return 1
        print(seed())
    if args.command == "create-agent":
        return create_agent_command(args)
    if args.command == "create-seller-user":
        return create_seller_user_command(args)
    if args.command == "remove-agent":
        return remove_agent_command(args)
    if args.command in ("purge", "erase-buyer"):
        return privacy_command(args)
    if args.command == "demo-events":
        return demo_events_command(args)
    return 0


def demo_events_command(args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from api.clock import utcnow
    from api.commerce.models import Order
    from api.commerce.order_numbers import normalise
    from api.db import get_sessionmaker
    from api.errors import DomainError
    from api.notices.demo import advance, pick_order

    with get_sessionmaker()() as session:
        try:
            if args.order:
                order = session.scalars(select(Order).where(Order.number == (normalise(args.order) or ""))).first()
                if order is None:
                    print(f"unknown order {args.order}", file=sys.stderr)
                    return 1
            else:
                order = pick_order(session, args.buyer, args.action)
            change = advance(session, order, args.action, utcnow())
        except DomainError as exc:  # no_fitting_order
            print(f"buyer {exc.values['buyer_id']} has no order for '{exc.values['action']}'", file=sys.stderr)
            return 1
        except ValueError as exc:  # an unknown action
            print(exc, file=sys.stderr)
            return 1
        print(f"{change.kind} {change.order_number} ({change.event_id}); running api processes pick it up")
    return 0


def privacy_command(args: argparse.Namespace) -> int:
    """Retention purge or a buyer's erasure, printed as JSON (the same figures the audit row holds)."""
    import dataclasses
    import json

    from api.db import get_sessionmaker
    from api.errors import DomainError
    from api.privacy.erasure import erase_buyer
    from api.privacy.retention import purge

    with get_sessionmaker()() as session:
        if args.command == "purge":
            report = purge(session, days=args.days, actor="operator:cli")
        else:
            try:
                report = erase_buyer(session, args.buyer_id, f"operator:{args.by}")
            except DomainError as exc:  # unknown_buyer
                print(f"not erased: {exc.code}", file=sys.stderr)
                return 1
    print(json.dumps(dataclasses.asdict(report), ensure_ascii=False))
    return 0


def remove_agent_command(args: argparse.Namespace) -> int:
    """From outside the api there is no hub to tell: open console sockets notice at their next session check."""
    from api.clock import utcnow
    from api.db import get_sessionmaker
    from api.errors import DomainError
    from api.helpdesk import queue

    with get_sessionmaker()() as session:
        try:
            agent, requeued = queue.remove_agent(session, args.username, utcnow(), operator=f"operator:{args.by}")
        except DomainError as exc:  # unknown_agent
            print(f"not removed: {exc.code}", file=sys.stderr)
            return 1
    print(f"agent {agent.username} removed; {len(requeued)} conversations back in the queue")
    return 0


def _create_account(password_variable: str, create: Callable[[Any, str], Any], created: Callable[[Any], str]) -> int:
    """create-agent and create-seller-user: the password from the environment or a prompt, the rule's
    refusal code on one line (weak_credentials, unsupported_language, username_taken, unknown_seller)."""
    import getpass
    import os

    from api.db import get_sessionmaker
    from api.errors import DomainError

    password = os.environ.get(password_variable) or getpass.getpass("password (8+ characters): ")
    with get_sessionmaker()() as session:
        try:
            account = create(session, password)
        except DomainError as exc:
            print(f"not created: {exc.code}", file=sys.stderr)
            return 1
    print(created(account))
    return 0


def create_seller_user_command(args: argparse.Namespace) -> int:
    from api.sellers.auth import create_seller_user

    return _create_account(
        "MD_SELLER_PASSWORD",
        lambda session, password: create_seller_user(
            session,
            username=args.username,
            display_name=args.name or args.username,
            password=password,
            seller_id=args.seller,
            language=args.language,
            by="operator:cli",
        ),
        lambda user: f"seller user {user.username} created (seller {user.seller_id}, language {user.language})",
    )


def create_agent_command(args: argparse.Namespace) -> int:
    from api.helpdesk.auth import create_agent

    return _create_account(
        "MD_AGENT_PASSWORD",
        lambda session, password: create_agent(
            session,
            username=args.username,
            display_name=args.name or args.username,
            password=password,
            languages=[x.strip() for x in args.languages.split(",") if x.strip()],
            skills=[x.strip() for x in args.skills.split(",") if x.strip()],
            capacity=args.capacity,
            role=args.role,
        ),
        lambda agent: (
            f"agent {agent.username} created (languages {','.join(agent.languages)}, capacity {agent.capacity})"
        ),
    )


if __name__ == "__main__":
    sys.exit(main())
