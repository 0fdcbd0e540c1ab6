"""Impact runs kept in the database, so every server worker (and a later session) can show
them: the summary, the per-line table (Parquet) and the HTML report of each run."""

from __future__ import annotations

import datetime as dt
import io
import json
from dataclasses import dataclass

import polars as pl
from sqlalchemy import Date, DateTime, Float, Integer, LargeBinary, String, Text, func, select
from sqlalchemy.orm import Mapped, mapped_column

from exportcheck.db import get_engine, session_factory, upgrade, write_session_factory
from exportcheck.db.base import Base
from exportcheck.errors import NotFound
from exportcheck.impact.core import ImpactResult
from exportcheck.impact.models import ImpactSummary


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class ImpactRun(Base):
    __tablename__ = "impact_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    created_by: Mapped[str] = mapped_column(String(128))
    source: Mapped[str] = mapped_column(String(256))
    from_date: Mapped[dt.date] = mapped_column(Date)
    to_date: Mapped[dt.date] = mapped_column(Date)
    line_count: Mapped[int] = mapped_column(Integer)
    changed_lines: Mapped[int] = mapped_column(Integer)
    value_changed: Mapped[float] = mapped_column(Float)
    summary: Mapped[str] = mapped_column(Text)
    report_html: Mapped[str] = mapped_column(Text)
    lines_parquet: Mapped[bytes] = mapped_column(LargeBinary)


@dataclass(frozen=True)
class RunInfo:
    id: int
    created_at: dt.datetime
    created_by: str
    source: str
    from_date: dt.date
    to_date: dt.date
    lines: int
    changed_lines: int
    value_changed: float


def _info(r: ImpactRun) -> RunInfo:
    return RunInfo(r.id, r.created_at, r.created_by, r.source, r.from_date, r.to_date,
                   r.line_count, r.changed_lines, r.value_changed)


def _engine(database_url: str | None):
    engine = get_engine(database_url)
    upgrade(engine)
    return engine


def save_run(result: ImpactResult, *, user: str, source: str,
             database_url: str | None = None) -> RunInfo:
    """Store a run with its report, and note it in the audit trail under ``user``."""
    from exportcheck.impact.report import render_report
    from exportcheck.ledger.audit import append_event

    buf = io.BytesIO()
    result.lines.write_parquet(buf)
    s = result.summary
    run = ImpactRun(created_by=user, source=source[:256], from_date=s.old.date,
                    to_date=s.new.date, line_count=s.totals.lines,
                    changed_lines=s.totals.changed_lines, value_changed=s.totals.value_changed,
                    summary=s.model_dump_json(), report_html=render_report(result.lines, s),
                    lines_parquet=buf.getvalue())
    with write_session_factory(_engine(database_url))() as session, session.begin():
        session.add(run)
        session.flush()
        append_event(session, kind="impact.run", actor=user, payload={
            "run": run.id, "source": run.source, "from": s.old.date.isoformat(),
            "to": s.new.date.isoformat(), "lines": run.line_count,
            "changed_lines": run.changed_lines, "value_changed": run.value_changed},
            versions={"rule_base": s.ruleset_version})
        return _info(run)


def list_runs(limit: int = 50, offset: int = 0,
              database_url: str | None = None) -> tuple[list[RunInfo], int]:
    with session_factory(_engine(database_url))() as session:
        total = session.scalar(select(func.count()).select_from(ImpactRun)) or 0
        rows = session.execute(select(
            ImpactRun.id, ImpactRun.created_at, ImpactRun.created_by, ImpactRun.source,
            ImpactRun.from_date, ImpactRun.to_date, ImpactRun.line_count,
            ImpactRun.changed_lines, ImpactRun.value_changed)
            .order_by(ImpactRun.id.desc()).limit(limit).offset(offset)).all()
        return [RunInfo(*r) for r in rows], total


def _get(session, run_id: int) -> ImpactRun:
    run = session.get(ImpactRun, run_id)
    if run is None:
        raise NotFound(f"no impact run {run_id}")
    return run


def get_run(run_id: int, database_url: str | None = None) -> tuple[RunInfo, ImpactSummary]:
    with session_factory(_engine(database_url))() as session:
        run = _get(session, run_id)
        return _info(run), ImpactSummary.model_validate(json.loads(run.summary))


def get_report(run_id: int, database_url: str | None = None) -> str:
    with session_factory(_engine(database_url))() as session:
        return _get(session, run_id).report_html


def get_lines(run_id: int, database_url: str | None = None) -> pl.DataFrame:
    with session_factory(_engine(database_url))() as session:
        return pl.read_parquet(io.BytesIO(_get(session, run_id).lines_parquet))
