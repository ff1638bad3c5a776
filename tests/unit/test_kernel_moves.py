"""Two additions of the kernel, on a made-up kind (no database): a transition whose
target depends on the state it starts from (`moves`), and an audit action named apart
from the timeline event (`audit_as`)."""

from enum import Enum
from types import SimpleNamespace

from app.cases import kernel
from app.cases.kernel import Lifecycle, Transition


class St(Enum):
    NEW = "new"
    OPEN = "open"
    WAITING = "waiting"


TOY = Lifecycle(
    "toy",
    [
        Transition(
            "write",
            (St.NEW, St.OPEN, St.WAITING),
            event="message",
            audit_as="write",
            moves=((St.NEW, St.OPEN),),
        ),
    ],
    sides=lambda actor, case: set(),
)


def toy_case(state: St):
    events = []

    def add_event(kind, **values):
        events.append(kind)
        return SimpleNamespace(kind=kind, **values)

    return SimpleNamespace(id=7, state=state, events=events, add_event=add_event)


def test_a_move_sends_one_state_elsewhere_and_leaves_the_others():
    write = TOY.table["write"]
    assert write.target_from(St.NEW) == St.OPEN
    assert write.target_from(St.WAITING) is None


def test_perform_follows_the_move_and_audits_under_its_own_name(monkeypatch):
    audited = []
    monkeypatch.setattr(
        kernel.audit, "append", lambda action, **details: audited.append((action, details))
    )
    new, waiting = toy_case(St.NEW), toy_case(St.WAITING)

    # when the system writes on a new case and on a waiting one
    TOY.perform(None, new, "write", "Hello.", commit=False)
    TOY.perform(None, waiting, "write", "Hello.", commit=False)

    # then the new case is taken up, the waiting one stays; the event is the message,
    # the audit action the verb, with the states only where the state changed
    assert (new.state, waiting.state) == (St.OPEN, St.WAITING)
    assert new.events == waiting.events == ["message"]
    assert audited == [
        (
            "toy.write",
            {"object_type": "toy", "object_id": 7, "state_from": "new", "state_to": "open"},
        ),
        ("toy.write", {"object_type": "toy", "object_id": 7}),
    ]
