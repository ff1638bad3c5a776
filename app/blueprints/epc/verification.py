"""The public verification of a card: anyone (an employer) enters the card's code and
the number of the holder's identity document, and sees whether the card is authentic
and valid, with what the card states of the holder's right to practise: name, profession,
host Member State, kind of card and validity (Directive 2005/36/EC Art 4e). A code alone,
or a wrong number, shows only that nothing matches. Rate-limited per client address;
a GET form, so the QR code can link to it with the code filled in."""

from __future__ import annotations

from flask import request

from app.accounts import ratelimit
from app.blueprints.access import permission
from app.blueprints.epc import public_bp as bp
from app.blueprints.epc.forms import VerifyForm
from app.cases.epc import applications
from app.cases.epc.labels import PURPOSE_LABELS
from app.htmx import render
from app.policy import PUBLIC


@bp.get("/verify")
@permission(PUBLIC)
def verify():
    form = VerifyForm(request.args)
    if not request.args.get("identity"):
        # Opened from the QR code (the code only) or typed: the form, nothing looked up.
        form = VerifyForm(formdata=None, code=request.args.get("code", "")[:20])
        return render("epc/verify.html", form=form, looked_up=False)
    if not ratelimit.allow("epc.verify", request.remote_addr or "unknown"):
        return render("epc/verify.html", status=429, form=form, limited=True, looked_up=False)
    if not form.validate():
        return render("epc/verify.html", status=400, form=form, looked_up=False)
    card = applications.verify(form.code.data, form.identity.data)
    return render(
        "epc/verify.html",
        form=form,
        looked_up=True,
        card=card,
        valid=card is not None and applications.is_valid(card),
        pack=applications.pack(),
        purposes=PURPOSE_LABELS,
        code=applications.shown_code(card) if card else "",
    )
