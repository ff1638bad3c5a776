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


NO_GROUNDS = SimpleNamespace(refusal_grounds=())


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
    monkeypatch.setattr(lifecycle, "pinned_pack", lambda key, version: NO_GROUNDS)
    actions = lifecycle.LIFECYCLE.allowed(responder(), sent_request())
    assert actions == offered


def test_a_step_the_procedure_leaves_out_is_refused(monkeypatch):
    monkeypatch.setattr(
        lifecycle, "pinned_workflow", lambda key, version: Workflow(frozenset({"split"}))
    )
    with pytest.raises(lifecycle.RequestError) as refused:
        lifecycle.LIFECYCLE.require(responder(), sent_request(), "split")
    assert refused.value.code == "state"


@pytest.mark.parametrize("state", [RequestState.SENT, RequestState.ACCEPTED])
def test_a_procedure_with_refusal_grounds_lets_the_responder_refuse(monkeypatch, state):
    # given a procedure whose pack lists grounds for refusal (Directive 2014/67/EU Art 17)
    grounds = SimpleNamespace(refusal_grounds=(SimpleNamespace(key="art17_b_below_350"),))
    monkeypatch.setattr(lifecycle, "pinned_workflow", lambda key, version: Workflow())
    monkeypatch.setattr(lifecycle, "pinned_pack", lambda key, version: grounds)
    request = sent_request()
    request.state = state
    # then its responder may refuse it while the reply is awaited, its requester never
    assert lifecycle.LIFECYCLE.may(responder(), request, "refuse")
    requester = SimpleNamespace(authority=SimpleNamespace(id=1), has=lambda role: True)
    assert not lifecycle.LIFECYCLE.may(requester, request, "refuse")
    # and without grounds, nobody may
    monkeypatch.setattr(lifecycle, "pinned_pack", lambda key, version: NO_GROUNDS)
    assert not lifecycle.LIFECYCLE.may(responder(), request, "refuse")
