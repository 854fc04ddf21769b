"""Tables of staff accounts, their login sessions and the CAP API's senders."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from core.columns import UTCDateTime
from core.models import Base


class StaffUser(Base):
    """A member of staff who logs in to the console."""

    __tablename__ = "staff_users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    roles: Mapped[list[str]] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    regions: Mapped[list[str]] = mapped_column(JSON, default=list)
    """KATO prefixes of the regions a coordinator's organisation serves (empty: none)."""
    language: Mapped[str | None] = mapped_column(String(2), default=None)
    """The console's language the member of staff chose (kk, ru, en); none: the browser's."""


class StaffSession(Base):
    """A logged-in browser. Only a hash of the cookie's token is stored."""

    __tablename__ = "staff_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("staff_users.id", ondelete="CASCADE"), index=True
    )
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class ApiSender(Base):
    """An alerting authority allowed to post CAP documents with a bearer token."""

    __tablename__ = "api_senders"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ApiSenderIdentity(Base):
    """A CAP `<sender>` value that one API sender, and only it, may post documents as."""

    __tablename__ = "api_sender_identities"

    cap_sender: Mapped[str] = mapped_column(String(200), primary_key=True)
    sender_id: Mapped[int] = mapped_column(
        ForeignKey("api_senders.id", ondelete="CASCADE"), index=True
    )
