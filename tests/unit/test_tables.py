"""The table helpers of the templates: every cell labelled by its column's heading, and
machine text given line-break opportunities; user text stays escaped in both."""

from __future__ import annotations

from markupsafe import Markup

from app.tables import breakable, cell_labels


def test_each_cell_takes_its_columns_heading_row_by_row():
    # Given two rendered rows, the second with a row heading and one cell too many
    rows = Markup(
        '<tr class="unread"><td><a href="/r/1">REQ-1</a></td><td>Sent</td></tr>\n'
        '<tr><th scope="row">REQ-2</th><td>Closed</td><td>extra</td></tr>'
    )
    # When the headings are put on them
    labelled = cell_labels(rows, ["Reference", "State"])
    # Then the n-th cell of each row carries the n-th heading, counting from each row
    assert labelled == Markup(
        '<tr class="unread"><td data-label="Reference"><a href="/r/1">REQ-1</a></td>'
        '<td data-label="State">Sent</td></tr>\n'
        '<tr><th data-label="Reference" scope="row">REQ-2</th><td data-label="State">Closed</td>'
        '<td data-label="">extra</td></tr>'
    )


def test_labels_and_unrendered_text_are_escaped():
    # A heading with a quote cannot end the attribute; text that is not rendered markup
    # is escaped as a whole
    assert cell_labels(Markup("<tr><td>x</td></tr>"), ['Say "hi"']) == Markup(
        '<tr><td data-label="Say &#34;hi&#34;">x</td></tr>'
    )
    assert cell_labels('<tr><td onclick="x()">', ["A"]) == Markup(
        "&lt;tr&gt;&lt;td onclick=&#34;x()&#34;&gt;"
    )


def test_machine_text_breaks_after_its_punctuation_and_stays_escaped():
    assert breakable("alert_handler.de@demo.eu") == Markup(
        "alert_<wbr>handler.<wbr>de@<wbr>demo.<wbr>eu"
    )
    assert breakable("state_to=sent, note=a<b") == Markup(
        "state_<wbr>to=<wbr>sent, note=<wbr>a&lt;b"
    )
    # already rendered markup is not escaped twice; a plain word gets no break
    assert breakable(Markup("a_b &amp; c")) == Markup("a_<wbr>b &amp; c")
    assert breakable("Angenommen") == Markup("Angenommen")
