"""What organisers define per event: custom form fields with their choice
options (each option may have a limit) and registration categories (each may
have a seat quota inside the event's capacity)."""

from __future__ import annotations

from sqlalchemy import Boolean, Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base

FIELD_KINDS = ("text", "number", "date", "choice", "multiple_choice", "checkbox")


class Category(Base):
    __tablename__ = "categories"
    __table_args__ = (UniqueConstraint("event_id", "code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(ForeignKey("listings.id"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    label_it: Mapped[str] = mapped_column(String(200))
    label_en: Mapped[str | None] = mapped_column(String(200))
    quota: Mapped[int | None] = mapped_column(Integer)  # None: only the event's capacity applies
    taken: Mapped[int] = mapped_column(Integer, default=0)
    position: Mapped[int] = mapped_column(Integer, default=0)


class FormField(Base):
    __tablename__ = "form_fields"
    __table_args__ = (UniqueConstraint("event_id", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(ForeignKey("listings.id"), index=True)
    key: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(20))
    label_it: Mapped[str] = mapped_column(String(300))
    label_en: Mapped[str | None] = mapped_column(String(300))
    required: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)
    max_length: Mapped[int | None] = mapped_column(Integer)
    min_value: Mapped[float | None] = mapped_column(Float)
    max_value: Mapped[float | None] = mapped_column(Float)
    retired: Mapped[bool] = mapped_column(Boolean, default=False)  # kept for old answers and exports
    options: Mapped[list[FieldOption]] = relationship(order_by="FieldOption.position", lazy="selectin")


class FieldOption(Base):
    __tablename__ = "field_options"
    __table_args__ = (UniqueConstraint("field_id", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    field_id: Mapped[int] = mapped_column(ForeignKey("form_fields.id"), index=True)
    key: Mapped[str] = mapped_column(String(40))
    label_it: Mapped[str] = mapped_column(String(200))
    label_en: Mapped[str | None] = mapped_column(String(200))
    limit: Mapped[int | None] = mapped_column(Integer)  # None: unlimited
    taken: Mapped[int] = mapped_column(Integer, default=0)
    position: Mapped[int] = mapped_column(Integer, default=0)
    retired: Mapped[bool] = mapped_column(Boolean, default=False)
