"""PDF case records: render time and peak memory against the budget of DESIGN.md section 4.

    python bench/pdf.py [--sizes 5,50,200] [--runs 3]

For each size, a fresh child process (so that its peak RSS is its own) builds a request
between two authorities in a throwaway SQLite database, with that many timeline events
of free text in Greek, Bulgarian, German and Polish (every other one with a machine
translation beside it, as the PDF shows them), then renders its PDF `--runs` times the
way the `pdf` job does. It prints:

- cold: the first render in the process (WeasyPrint's first layout, fonts, CSS);
- warm: the best of the following renders (a worker that has rendered before);
- pages, PDF size, and the process's peak RSS (ru_maxrss, after everything);

and OK/OVER for the 50-event case against <= 2 s (warm) and <= 300 MB. It never fails on
figures (it is not a test).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BUDGET_SECONDS = 2.0
BUDGET_MB = 300
TEXTS = {
    "el": "Παρακαλούμε επιβεβαιώστε ότι ο επαγγελματίας είναι νόμιμα εγκατεστημένος και ότι "
    "δεν του έχει επιβληθεί καμία πειθαρχική κύρωση κατά τα τελευταία πέντε έτη.",
    "bg": "Моля, потвърдете, че специалистът е законно установен и че не са му налагани "
    "дисциплинарни наказания през последните пет години.",
    "de": "Bitte bestätigen Sie, dass die Fachkraft rechtmäßig niedergelassen ist und in den "
    "letzten fünf Jahren keine Disziplinarmaßnahmen gegen sie verhängt wurden.",
    "pl": "Proszę potwierdzić, że specjalista jest zgodnie z prawem prowadzi działalność i że "
    "w ciągu ostatnich pięciu lat nie nałożono na niego kar dyscyplinarnych.",
}


def child(size: int, runs: int) -> dict:
    """Build one case of `size` events and render it; the figures as a dict."""
    folder = Path(tempfile.mkdtemp(prefix="openimi-bench-pdf-"))
    os.environ["OPENIMI_INSTANCE_DIR"] = str(folder)
    os.environ["OPENIMI_ENV"] = "development"  # a throw-away instance: local defaults
    from flask_babel import force_locale

    from app import create_app
    from app.cases import requests
    from app.extensions import db
    from app.migrate import upgrade
    from app.models import (
        JobStatus,
        ProcedureAccess,
        RequestEvent,
        Translation,
        TranslationJob,
    )
    from app.policy import Actor
    from app.procedures.store import sync
    from app.records import pdf
    from app.translation.texts import fingerprint
    from tests.factories import make_authority, make_user

    app = create_app(
        "production",
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.db'}", "UPLOAD_DIR": str(folder)},
    )
    upgrade(app)
    with app.app_context():
        sync()
        berlin = make_authority("DE", name="Landesamt für Gesundheit und Soziales Berlin")
        sofia = make_authority("BG", name="Министерство на здравеопазването")
        for authority in (berlin, sofia):
            db.session.add(
                ProcedureAccess(
                    authority_id=authority.id,
                    procedure_key="pq_good_standing",
                    roles=["requester", "responder"],
                )
            )
        db.session.commit()
        user = make_user(berlin, ["handler"])
        actor = Actor(user, user.memberships[0])
        item = requests.save_draft(
            actor,
            requests.Draft(
                "pq_good_standing",
                sofia.id,
                "Д-р Иван Петров, роден 1975-03-12",
                TEXTS["de"],
                ["legally_established", "registration_status", "sanctions_imposed"],
                {"profession": "Doctor of medicine", "date_of_birth": "1975-03-12"},
            ),
        )
        requests.send(actor, item)
        languages = list(TEXTS)
        for n in range(size - len(item.events)):
            language = languages[n % len(languages)]
            text = f"{n + 1}. {TEXTS[language]}"
            event = RequestEvent(
                request_id=item.id,
                kind="info_given",
                authority_id=sofia.id if n % 2 else berlin.id,
                text=text,
                language=language,
            )
            db.session.add(event)
            db.session.flush()
            if n % 2 == 0 and language != "en":
                translation = Translation(
                    source_hash=fingerprint(text),
                    source_language=language,
                    target_language="en",
                    engine="apertium",
                    text=f"{n + 1}. Please confirm that the professional is legally established.",
                )
                db.session.add(translation)
                db.session.flush()
                db.session.add(
                    TranslationJob(
                        kind="request_event",
                        object_id=event.id,
                        source_hash=fingerprint(text),
                        source_language=language,
                        target_language="en",
                        status=JobStatus.DONE,
                        engine="apertium",
                        translation_id=translation.id,
                    )
                )
        db.session.commit()
        db.session.refresh(item)
        events = len(item.events)
        timings, data = [], b""
        for _ in range(runs):
            start = time.perf_counter()
            with force_locale("en"):
                data = pdf.render_pdf("request", item, berlin)
            timings.append(time.perf_counter() - start)
            db.session.expire_all()
    import io

    from pypdf import PdfReader

    pages = len(PdfReader(io.BytesIO(data)).pages)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "events": events,
        "cold": timings[0],
        "warm": min(timings[1:]) if len(timings) > 1 else timings[0],
        "pages": pages,
        "kb": len(data) / 1024,
        "peak_mb": peak_mb,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="5,50,200")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        print(json.dumps(child(args.child, args.runs)))
        return

    print(f"PDF case records (budget: 50 events <= {BUDGET_SECONDS} s, <= {BUDGET_MB} MB RSS)")
    print(f"{'events':>7} {'pages':>6} {'KB':>7} {'cold s':>8} {'warm s':>8} {'peak MB':>8}")
    for size in (int(s) for s in args.sizes.split(",")):
        out = subprocess.run(
            [sys.executable, __file__, "--child", str(size), "--runs", str(args.runs)],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONWARNINGS": "ignore"},
        )
        r = json.loads(out.stdout.strip().splitlines()[-1])
        verdict = ""
        if size == 50:
            ok = r["warm"] <= BUDGET_SECONDS and r["peak_mb"] <= BUDGET_MB
            verdict = "OK" if ok else "OVER"
        print(
            f"{r['events']:>7} {r['pages']:>6} {r['kb']:>7.0f} {r['cold']:>8.2f} "
            f"{r['warm']:>8.2f} {r['peak_mb']:>8.0f}  {verdict}"
        )


if __name__ == "__main__":
    main()
