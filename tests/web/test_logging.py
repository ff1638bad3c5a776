"""Every log line names its request: the id comes from a safe X-Request-ID or is made,
goes back in the response, and is on each line logged while the request runs (in-process
jobs included). Production writes one JSON object per line; development, text."""

from __future__ import annotations

import io
import logging
import re

import pytest

from app import logs
from tests.factories import csrf_token, make_authority, make_user, sign_in

FRESH_ID = re.compile(r"[0-9a-f]{32}")


def access_lines(log) -> list[dict]:
    return [entry for entry in log.app_lines() if entry["logger"] == "app.access"]


def test_a_request_without_an_id_gets_a_fresh_one_on_the_response_and_its_access_line(
    client, production_log
):
    # when a request arrives without X-Request-ID
    response = client.get("/")

    # then the response names a fresh id, and the one access line carries it
    request_id = response.headers["X-Request-ID"]
    assert FRESH_ID.fullmatch(request_id)
    [access] = access_lines(production_log)
    assert access["request_id"] == request_id
    assert (access["level"], access["method"], access["path"], access["status"]) == (
        "INFO",
        "GET",
        "/",
        200,
    )
    assert access["duration_ms"] >= 0 and "user_id" not in access


def test_a_safe_incoming_id_is_kept_and_echoed(client, production_log):
    response = client.get("/healthz", headers={"X-Request-ID": "nginx-7f.3_A"})

    assert response.headers["X-Request-ID"] == "nginx-7f.3_A"
    assert [e["request_id"] for e in access_lines(production_log)] == ["nginx-7f.3_A"]


@pytest.mark.parametrize(
    "offered",
    ["abc\nSet-Cookie: x=1", "a" * 500, "a" * 65, "", "two words", "<script>", "café", "a/b"],
)
def test_an_unsafe_incoming_id_is_replaced(client, production_log, offered):
    # the raw environ: a client library would refuse to send some of these
    response = client.get("/healthz", environ_overrides={"HTTP_X_REQUEST_ID": offered})

    request_id = response.headers["X-Request-ID"]
    assert FRESH_ID.fullmatch(request_id)
    assert [e["request_id"] for e in access_lines(production_log)] == [request_id]


def test_every_line_of_a_request_and_its_in_process_job_carries_the_id(client, app, production_log):
    # given an officer who forgot their password (jobs run in-process here)
    officer = make_user(make_authority("AT"), ["handler"])
    token = csrf_token(client.get("/password/forgot"))
    production_log.clear()

    # when they ask for a link, with an id from the proxy
    client.post(
        "/password/forgot",
        data={"csrf_token": token, "email": officer.email},
        headers={"X-Request-ID": "req-1"},
    )

    # then every line carries the id: the mail job's (with the job's id) and the access line
    sent, access = production_log.app_lines()
    assert sent["request_id"] == access["request_id"] == "req-1"
    assert sent["logger"] == "app.mail" and sent["message"].endswith(" sent")
    assert sent["job_id"] and "job_id" not in access
    assert access["path"] == "/password/forgot"


def test_lines_of_a_signed_in_user_carry_their_id_and_nothing_personal(client, app, production_log):
    officer = make_user(make_authority("PL"), ["handler"], email="ewa.nowak@example.eu")
    sign_in(client, officer)
    production_log.clear()

    client.get("/directory")

    [access] = access_lines(production_log)
    assert access["user_id"] == officer.id
    assert "ewa.nowak" not in production_log.text
    assert officer.full_name not in production_log.text


def test_secret_parts_of_a_path_stay_out_of_the_log(client, production_log):
    token = "k3Jd9sQ-never-in-a-log"

    client.get(f"/password/reset/{token}")

    [access] = access_lines(production_log)
    assert access["path"] == "/password/reset/<token>"
    assert token not in production_log.text


def test_a_line_stays_one_line_whatever_the_path(client, production_log):
    client.get("/no/such%0Apage")

    [access] = access_lines(production_log)  # parsed: one JSON object on one line
    assert access["status"] == 404 and access["path"] == "/no/such\\npage"


def test_development_lines_are_text_with_the_request_id(client):
    stream = io.StringIO()
    handler = logs.handler_for({"DEVELOPMENT": True}, stream)
    logs.access_log.addHandler(handler)
    logs.access_log.setLevel(logging.INFO)
    try:
        client.get("/healthz", headers={"X-Request-ID": "req-text"})
    finally:
        logs.access_log.removeHandler(handler)
        logs.access_log.setLevel(logging.NOTSET)

    [line] = stream.getvalue().splitlines()
    assert " INFO app.access [request_id=req-text] GET /healthz 200 " in line
