"""Alerts as a kind of case: who sees one (app/cases/alerts `visible_query`): the sender
authority, its validating coordinator, each recipient coordinator and the authorities an
alert was disseminated to."""

from __future__ import annotations

from app.cases import alerts
from app.cases.alerts import notices
from app.cases.registry import Kind, register
from app.models import Alert

KIND = register(Kind("alert", Alert, alerts.visible_query, reminders=notices.REMINDERS))
