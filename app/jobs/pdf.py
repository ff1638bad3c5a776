"""PDF export jobs (queue `pdf`, 60 s timeout): the argument is the export's id only."""

from app.jobs import app_for


def render_export(instance: str, export_id: int) -> None:
    from app.records import pdf

    with app_for(instance).app_context():
        pdf.run_export(export_id)
