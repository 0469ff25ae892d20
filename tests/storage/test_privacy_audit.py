"""The privacy audit chain, on SQLite and PostgreSQL: it verifies; a tombstoned note keeps it valid;
a row changed, removed or inserted behind insight's back breaks it at that row."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select, update

from insight.config import Settings
from insight.storage import privacy_audit
from insight.storage.db import make_engine, session_scope
from insight.storage.privacy_tables import PrivacyAuditRow

T = datetime(2026, 10, 1, tzinfo=UTC)


def _chain(engine) -> list[int]:  # type: ignore[no-untyped-def]
    with session_scope(engine) as session:
        return [privacy_audit.append(session, event="linked", subject=f"m_{i % 2}", actor="ana",
                                     at=T + timedelta(minutes=i), note=f"note {i} about secret words",
                                     details={"i": i}) for i in range(4)]


def test_privacy_audit_survives_tombstones_and_catches_tampering(db_settings: Settings) -> None:
    engine = make_engine(db_settings)
    ids = _chain(engine)
    with session_scope(engine) as session:
        assert privacy_audit.verify(session) == {"ok": True, "rows": 4, "broken_at": None, "tombstoned": 0}
        assert privacy_audit.tombstone(session, ["m_1"]) == 2
    with session_scope(engine) as session:
        rows = privacy_audit.rows(session)
        assert [r["note"] for r in rows] == ["note 0 about secret words", privacy_audit.TOMBSTONE,
                                             "note 2 about secret words", privacy_audit.TOMBSTONE]
        assert privacy_audit.verify(session)["ok"] and privacy_audit.verify(session)["tombstoned"] == 2
        session.execute(update(PrivacyAuditRow).where(PrivacyAuditRow.id == ids[2]).values(note="rewritten"))
    with session_scope(engine) as session:
        assert privacy_audit.verify(session)["broken_at"] == ids[2]
        session.execute(update(PrivacyAuditRow).where(PrivacyAuditRow.id == ids[2])
                        .values(note="note 2 about secret words", actor="mallory"))
    with session_scope(engine) as session:
        assert privacy_audit.verify(session)["broken_at"] == ids[2]
        session.execute(update(PrivacyAuditRow).where(PrivacyAuditRow.id == ids[2]).values(actor="ana"))
        assert privacy_audit.verify(session)["ok"]
        session.execute(delete(PrivacyAuditRow).where(PrivacyAuditRow.id == ids[1]))
    with session_scope(engine) as session:
        assert privacy_audit.verify(session) == {"ok": False, "rows": 2, "broken_at": ids[2], "tombstoned": 0}
        assert session.scalar(select(PrivacyAuditRow.tombstoned).where(PrivacyAuditRow.id == ids[3]))
    engine.dispose()
