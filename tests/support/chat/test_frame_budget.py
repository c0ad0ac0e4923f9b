"""The per-socket frame budget: a burst at once, then one frame per interval, per type."""

from support.chat.rules import FrameBudget, FrameLimit

LIMITS = {"ping": FrameLimit(burst=3, every=10.0), "typing": FrameLimit(burst=1, every=1.0)}


def test_a_burst_passes_then_one_per_interval():
    budget = FrameBudget(LIMITS)
    assert [budget.take("ping", 100.0) for _ in range(4)] == [True, True, True, False]
    assert not budget.take("ping", 109.9)  # not yet a whole interval
    assert budget.take("ping", 110.1)
    assert not budget.take("ping", 110.2)


def test_refused_frames_do_not_spend_the_budget():
    budget = FrameBudget(LIMITS)
    assert budget.take("typing", 0.0)
    for moment in (0.1, 0.5, 0.9):
        assert not budget.take("typing", moment)
    assert budget.take("typing", 1.0)


def test_types_are_counted_apart_and_the_burst_is_a_ceiling():
    budget = FrameBudget(LIMITS)
    assert budget.take("typing", 0.0)
    assert budget.take("ping", 0.0)  # another type's budget is untouched
    # A long quiet time refills up to the burst, never beyond.
    assert [budget.take("ping", 1000.0) for _ in range(4)] == [True, True, True, False]


def test_an_unknown_type_never_passes():
    assert not FrameBudget(LIMITS).take("hello", 0.0)


def test_the_default_limits_are_the_rules():
    from support.chat.rules import FRAME_LIMITS

    budget = FrameBudget()
    assert budget.limits is FRAME_LIMITS
    assert sum(budget.take("hello", 0.0) for _ in range(20)) == FRAME_LIMITS["hello"].burst
