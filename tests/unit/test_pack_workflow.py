"""A pack declares its variant of the kind's workflow: steps left out, deadlines per
step, urgency levels, validation. The kernel offers only the steps the pack has."""

from types import SimpleNamespace

import pytest

from app.cases.kernel import Lifecycle, Transition
from app.procedures import PackError, load_pack
from app.procedures.definition import pack_definition, pack_from_definition
from tests.unit.test_kernel import St, actor, case, sides
from tests.unit.test_procedure_packs import MINIMAL, write_pack

WORKFLOW = """
[workflow]
without = ["split", "forward"]
deadlines = { accept = 5 }
basis = "Directive 2014/67/EU, Article 6(6)(b)"

[[workflow.urgency]]
key = "urgent"
label = "Urgent"
basis = "Directive 2014/67/EU, Article 6(6)(a)"
deadlines = { reply = 2 }
"""


def test_a_pack_declares_steps_deadlines_and_urgency(tmp_path):
    body = MINIMAL.format(key="posting_check", area="posting") + WORKFLOW
    pack = load_pack(write_pack(tmp_path, "posting", "posting_check", body))
    assert not pack.workflow.has("split") and pack.workflow.has("refer")
    assert pack.working_days("accept") == 5
    assert pack.working_days("reply") == 15  # the pack's reply deadline
    assert pack.working_days("reply", "urgent") == 2
    assert pack.working_days("accept", "urgent") == 5  # not overridden by the level
    assert "Urgent" in pack.source_strings()  # translated like every other text


def test_a_pinned_version_keeps_its_workflow(tmp_path):
    body = MINIMAL.format(key="posting_check", area="posting") + WORKFLOW
    pack = load_pack(write_pack(tmp_path, "posting", "posting_check", body))
    again = pack_from_definition(pack_definition(pack), None)
    assert again.workflow == pack.workflow


def test_a_pack_without_workflow_keeps_its_stored_definition(tmp_path):
    pack = load_pack(write_pack(tmp_path, "posting", "plain"))
    assert "workflow" not in pack_definition(pack)
    assert pack.workflow.has("split")


@pytest.mark.parametrize(
    ("table", "problem"),
    [
        ('without = ["close"]', "may leave out"),
        ("deadlines = { answer = 5 }", "has deadlines for"),
        ("deadlines = { reply = 0 }", "1 to 120 working days"),
        ('validation = "required"', "alerts only"),
        ("colour = 1", "unknown keys colour"),
    ],
)
def test_a_wrong_workflow_stops_the_pack_with_the_reason(tmp_path, table, problem):
    body = MINIMAL.format(key="posting_check", area="posting") + f"\n[workflow]\n{table}\n"
    with pytest.raises(PackError) as error:
        load_pack(write_pack(tmp_path, "posting", "posting_check", body))
    assert any(problem in p for p in error.value.problems), error.value.problems


def test_the_kernel_offers_only_the_steps_the_case_procedure_has(tmp_path):
    body = MINIMAL.format(key="posting_check", area="posting") + WORKFLOW
    pack = load_pack(write_pack(tmp_path, "posting", "posting_check", body))
    lifecycle = Lifecycle(
        "toy",
        [
            Transition("split", (St.OPEN,), sides={"owner"}, step="split"),
            Transition("refer", (St.OPEN,), sides={"owner"}, step="refer"),
            Transition("shut", (St.OPEN,), St.SHUT, sides={"owner"}),
        ],
        sides=sides,
        workflow=lambda c: c.pack.workflow,
    )
    toy = case()
    toy.pack = pack
    assert lifecycle.allowed(actor(1, "handler"), toy) == {"refer", "shut"}
    toy.pack = SimpleNamespace(workflow=load_pack(write_pack(tmp_path, "p", "plain")).workflow)
    assert lifecycle.allowed(actor(1, "handler"), toy) == {"split", "refer", "shut"}


URGENT_LEVEL = """
[[workflow.urgency]]
key = "urgent"
label = "Urgent"
deadlines = {{ reply = 2 }}
{extra}
"""


@pytest.mark.parametrize(
    ("workflow", "extra", "problem"),
    [
        ("", 'basis = "Art 6(6)(a)"', "names the article of its normal deadlines"),
        ('basis = "Art 6(6)(b)"', "", "needs the basis"),
        ('basis = "Art 6(6)(b)"', 'basis = "Art 6(6)(a)"\nreason = "yes"', "true or false"),
        ('basis = "Art 6(6)(b)"', 'basis = "A"\nreason_hint = "Say why"', "needs reason = true"),
        ('basis = "Art 6(6)(b)"', 'basis = "A"\ncolour = 1', "unknown keys colour"),
    ],
)
def test_a_wrong_urgency_level_stops_the_pack_with_the_reason(tmp_path, workflow, extra, problem):
    body = (
        MINIMAL.format(key="posting_check", area="posting")
        + f"\n[workflow]\n{workflow}\n"
        + URGENT_LEVEL.format(extra=extra)
    )
    with pytest.raises(PackError) as error:
        load_pack(write_pack(tmp_path, "posting", "posting_check", body))
    assert any(problem in p for p in error.value.problems), error.value.problems


def test_a_level_requiring_a_reason_and_refusal_grounds_are_kept_and_translated(tmp_path):
    body = (
        MINIMAL.format(key="posting_check", area="posting")
        + '\n[workflow]\nbasis = "Article 6(6)(b)"\n'
        + URGENT_LEVEL.format(
            extra='basis = "Article 6(6)(a)"\nreason = true\nreason_hint = "Say why"'
        )
        + '\n[[refusal_grounds]]\nkey = "art17_b"\nlabel = "Below EUR 350"\n'
    )
    pack = load_pack(write_pack(tmp_path, "posting", "posting_check", body))
    level = pack.workflow.level("urgent")
    assert level.reason and level.reason_hint == "Say why"
    assert pack.workflow.basis_of("urgent") == "Article 6(6)(a)"
    assert pack.workflow.basis_of("") == "Article 6(6)(b)"
    assert pack.workflow.level("") is None and pack.workflow.level("other") is None
    assert [g.key for g in pack.refusal_grounds] == ["art17_b"]
    assert {"Say why", "Below EUR 350", "Article 6(6)(b)"} <= set(pack.source_strings())
    # a case pins all of it
    again = pack_from_definition(pack_definition(pack), None)
    assert again.workflow == pack.workflow and again.refusal_grounds == pack.refusal_grounds


def test_refusal_grounds_belong_to_request_packs(tmp_path):
    body = (
        MINIMAL.format(key="posting_check", area="posting").replace(
            'kind = "request"', 'kind = "alert"'
        )
        + '\n[[refusal_grounds]]\nkey = "art17_b"\nlabel = "Below EUR 350"\n'
    )
    with pytest.raises(PackError) as error:
        load_pack(write_pack(tmp_path, "posting", "posting_check", body))
    assert any("refusal_grounds" in p for p in error.value.problems), error.value.problems
