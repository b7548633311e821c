"""Alembic environment: the URL comes from the api settings, never from alembic.ini."""

from __future__ import annotations

from alembic import context

import api.commerce.models
import api.gateway.models
import api.helpdesk.models
import api.notices.models
import api.security.audit
import api.sellers.models
import api.support.models  # noqa: F401 - register tables
from api.db import Base, make_engine
from api.settings import get_settings

target_metadata = Base.metadata


def run_migrations() -> None:
    url = context.config.attributes.get("database_url") or get_settings().database_url
    if context.is_offline_mode():
        context.configure(url=url, target_metadata=target_metadata, literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = make_engine(url)
    with engine.connect() as connection:
        context.configure(
            connection=connection, target_metadata=target_metadata, render_as_batch=url.startswith("sqlite")
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run_migrations()
