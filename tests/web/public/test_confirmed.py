"""After confirming their address, the submitter goes straight to their case: the page
links to the private link the mail carries."""

from __future__ import annotations

import re

import html5lib

from app.models import PublicCaseState
from tests.factories import csrf_token
from tests.web.public.conftest import EMAIL, only_case, submit_case, tracking_path, visitor


def test_the_confirmation_page_links_to_the_case(app, people, smtp_server):
    # Given a submitted case, and its confirmation link opened from the mail
    client = visitor(app)
    submit_case(client)
    link = smtp_server.link_in(EMAIL, r"https?://\S+/public/confirm/\S+")
    path = re.sub(r"^https?://[^/]+", "", link)
    page = client.get(path)

    # When the submitter confirms
    response = client.post(path, data={"csrf_token": csrf_token(page)})

    # Then the page links to their case, by the private link the new mail carries
    assert response.status_code == 200
    assert only_case().state == PublicCaseState.SUBMITTED
    root = html5lib.parse(response.get_data(True), namespaceHTMLElements=False)
    [button] = [a for a in root.iter("a") if "".join(a.itertext()).strip() == "Open your case"]
    assert button.get("href") == tracking_path(smtp_server)
    # and the link opens the case, the one they sent
    case_page = client.get(button.get("href"))
    assert case_page.status_code == 200
    assert only_case().reference in case_page.get_data(True)
    # one mail with the link: the page's link is that mail's, not one of its own
    assert len(smtp_server.to(EMAIL)) == 2  # the confirmation link, then the case's link
