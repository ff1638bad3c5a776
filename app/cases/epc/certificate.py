"""The card's certificate: a PDF (PDF/A-3b, nothing fetched: app/records/pdf_render.py)
with the card's verification code and a QR code of the public verification page. The
code alone shows nothing: the page also asks for the holder's identity document number
(app/cases/epc/applications.py `verify`)."""

from __future__ import annotations

import segno
from flask import render_template

from app import external_url
from app.cases.epc import applications
from app.cases.epc.labels import PURPOSE_LABELS
from app.models import EpcApplication
from app.models.base import utcnow
from app.procedures.store import pinned_pack


def verification_url(case: EpcApplication) -> str:
    return external_url("epc_public.verify", code=applications.shown_code(case))


def qr_data_uri(case: EpcApplication) -> str:
    """The QR code of the verification page as an SVG data URI (shown with <img>)."""
    return segno.make(verification_url(case), error="m").svg_data_uri(scale=4, border=2)


def html(case: EpcApplication) -> str:
    """The certificate in the current locale (callers use force_locale)."""
    return render_template(
        "pdf/epc_certificate.html",
        item=case,
        pack=pinned_pack(case.procedure_key, case.pack_version),
        code=applications.shown_code(case),
        qr=qr_data_uri(case),
        url=verification_url(case),
        purposes=PURPOSE_LABELS,
        valid=applications.is_valid(case),
        printed_at=utcnow(),
    )


def render_pdf(case: EpcApplication) -> bytes:
    from app.records import pdf_render

    return pdf_render.render(html(case))
