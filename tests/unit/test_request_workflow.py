"""A request procedure's pack may leave optional steps out: the request lifecycle then
neither offers nor allows them (the kernel reads the pinned pack's workflow)."""

from types import SimpleNamespace

import pytest

from app.cases.requests import lifecycle
from app.models import RequestState
from app.policy import Actor
from app.procedures.workflow import Workflow


def responder():
    """A handler of the responding authority, in all legislative areas."""
    membership = SimpleNamespace(roles=["handler"], role_areas={}, authority=SimpleNamespace(id=2))
    return Actor(SimpleNamespace(id=7), membership)


def sent_request():
    return SimpleNamespace(
        state=RequestState.SENT,
        requester_authority_id=1,
        responder_authority_id=2,
        referral_open=False,
        procedure_key="posting_check",
        pack_version=1,
        proposed_due=None,
    )


@pytest.mark.parametrize(
    ("without", "offered"),
    [
        (frozenset(), {"accept", "forward", "split", "refer", "attach"}),
        (frozenset({"split"}), {"accept", "forward", "refer", "attach"}),
        (frozenset({"forward", "split", "refer"}), {"accept", "attach"}),
    ],
)
def test_the_responder_is_offered_only_the_steps_the_procedure_has(monkeypatch, without, offered):
    monkeypatch.setattr(lifecycle, "pinned_workflow", lambda key, version: Workflow(without))
    actions = lifecycle.LIFECYCLE.allowed(responder(), sent_request())
    assert actions == offered


def test_a_step_the_procedure_leaves_out_is_refused(monkeypatch):
    monkeypatch.setattr(
        lifecycle, "pinned_workflow", lambda key, version: Workflow(frozenset({"split"}))
    )
    with pytest.raises(lifecycle.RequestError) as refused:
        lifecycle.LIFECYCLE.require(responder(), sent_request(), "split")
    assert refused.value.code == "state"
