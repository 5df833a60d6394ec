"""Credit arithmetic (coursework.credit): pure Decimal math, no database."""

from decimal import Decimal

import pytest

from coursework.credit import (
    Block,
    EnrollmentFacts,
    Plan,
    TransferFacts,
    credit_items,
    earns_credit,
    format_credits,
    grade_point_average,
    percent,
    plan_progress,
    total_earned,
    total_in_progress,
)

D = Decimal


def enr(course_id, grade="", status=None, hours="3", label=None):
    if status is None:
        status = {"": "enrolled", "W": "withdrawn", "I": "incomplete"}.get(grade, "completed")
    return EnrollmentFacts(course_id, label or f"C{course_id}", D(hours), status, grade)


@pytest.mark.parametrize(
    ("grade", "earns"),
    [("A", True), ("B", True), ("C", True), ("P", True), ("D", False), ("F", False)],
)
def test_only_c_or_better_or_pass_earns_credit(grade, earns):
    assert earns_credit("completed", grade) is earns
    items = credit_items([enr(1, grade)])
    assert total_earned(items) == (D("3") if earns else D("0"))


@pytest.mark.parametrize("grade", ["W", "I"])
def test_withdrawn_and_incomplete_earn_nothing_and_are_not_in_progress(grade):
    items = credit_items([enr(1, grade)])
    assert items == []
    assert total_earned(items) == total_in_progress(items) == D("0")


def test_open_enrollment_is_credit_in_progress():
    items = credit_items([enr(1, "", hours="1.5")])
    assert total_earned(items) == D("0")
    assert total_in_progress(items) == D("1.5")


def test_decimal_hours_add_exactly():
    items = credit_items([enr(1, "A", hours="0.1"), enr(2, "B", hours="0.2")])
    assert total_earned(items) == D("0.3")  # not 0.30000000000000004


def test_a_course_counts_once_even_when_retaken():
    # Failed, then passed, then (by mistake) passed again: one course's credit.
    items = credit_items([enr(7, "F"), enr(7, "B"), enr(7, "A")])
    assert total_earned(items) == D("3")
    assert len(items) == 1


def test_a_retake_in_progress_after_a_fail_is_in_progress():
    items = credit_items([enr(7, "F"), enr(7, "")])
    assert (total_earned(items), total_in_progress(items)) == (D("0"), D("3"))


def test_passed_course_is_not_also_in_progress():
    items = credit_items([enr(7, "B"), enr(7, "")])
    assert (total_earned(items), total_in_progress(items)) == (D("3"), D("0"))


def test_transfer_credit_counts_only_when_verified():
    unverified = TransferFacts("t1", "Algebra", D("3"), verified=False)
    verified = TransferFacts("t2", "Speech", D("3"), verified=True)
    assert total_earned(credit_items([], [unverified])) == D("0")
    assert total_earned(credit_items([], [verified])) == D("3")
    assert total_earned(credit_items([], [unverified, verified])) == D("3")


def test_transfer_equivalent_to_a_passed_course_counts_once():
    transfer = TransferFacts("t1", "Psych elsewhere", D("3"), True, equivalent_course_id=5)
    items = credit_items([enr(5, "A")], [transfer])
    assert total_earned(items) == D("3")


def test_unverified_transfer_equivalent_does_not_replace_an_open_enrollment():
    transfer = TransferFacts("t1", "Psych elsewhere", D("3"), False, equivalent_course_id=5)
    items = credit_items([enr(5, "")], [transfer])
    assert (total_earned(items), total_in_progress(items)) == (D("0"), D("3"))


def plan(*blocks, total=None):
    total = total if total is not None else sum((b.required for b in blocks), D("0"))
    return Plan("Test plan", D(total), tuple(blocks))


def test_a_block_is_capped_at_its_requirement():
    core = Block(1, "Core", D("6"), frozenset({1, 2, 3}))
    progress = plan_progress(plan(core), credit_items([enr(1, "A"), enr(2, "B"), enr(3, "C")]))
    assert progress.blocks[0].earned == D("6")
    assert progress.blocks[0].remaining == D("0")
    assert progress.earned == D("6")
    # The third course has nowhere to go and is reported, not silently dropped.
    assert [a.credits for a in progress.not_applied] == [D("3")]


def test_overflow_from_a_full_block_goes_to_electives():
    core = Block(1, "Core", D("3"), frozenset({1, 2}))
    electives = Block(2, "Electives", D("6"), is_open=True)
    progress = plan_progress(plan(core, electives), credit_items([enr(1, "A"), enr(2, "A")]))
    assert [b.earned for b in progress.blocks] == [D("3"), D("3")]
    assert progress.earned == D("6")
    assert progress.remaining == D("3")


def test_partial_credit_fills_a_block_to_its_cap_and_the_rest_overflows():
    core = Block(1, "Core", D("4"), frozenset({1, 2}))
    electives = Block(2, "Electives", D("2"), is_open=True)
    progress = plan_progress(
        plan(core, electives), credit_items([enr(1, "A"), enr(2, "A", hours="3")])
    )
    assert [b.earned for b in progress.blocks] == [D("4"), D("2")]
    assert progress.not_applied == []


def test_course_outside_every_block_counts_only_toward_an_open_block():
    core = Block(1, "Core", D("6"), frozenset({1}))
    progress = plan_progress(plan(core), credit_items([enr(9, "A")]))
    assert progress.earned == D("0")
    assert progress.not_applied[0].item.course_id == 9


def test_unmatched_verified_transfer_fills_electives():
    core = Block(1, "Core", D("3"), frozenset({1}))
    electives = Block(2, "Electives", D("3"), is_open=True)
    items = credit_items([], [TransferFacts("t", "Speech", D("3"), True)])
    progress = plan_progress(plan(core, electives), items)
    assert [b.earned for b in progress.blocks] == [D("0"), D("3")]


def test_in_progress_fills_what_earned_credit_leaves_and_is_capped_too():
    core = Block(1, "Core", D("6"), frozenset({1, 2, 3}))
    progress = plan_progress(plan(core), credit_items([enr(1, "A"), enr(2, ""), enr(3, "")]))
    block = progress.blocks[0]
    assert (block.earned, block.in_progress, block.remaining) == (D("3"), D("3"), D("0"))
    assert (progress.earned, progress.in_progress, progress.remaining) == (D("3"), D("3"), D("0"))


def test_failing_and_withdrawn_grades_leave_the_block_empty():
    core = Block(1, "Core", D("6"), frozenset({1, 2, 3}))
    progress = plan_progress(plan(core), credit_items([enr(1, "F"), enr(2, "W"), enr(3, "D")]))
    assert (progress.earned, progress.in_progress, progress.remaining) == (D("0"), D("0"), D("6"))
    assert not progress.is_complete


def test_plan_total_caps_the_sum_of_blocks():
    a = Block(1, "A", D("3"), frozenset({1}))
    b = Block(2, "B", D("3"), frozenset({2}))
    progress = plan_progress(plan(a, b, total="5"), credit_items([enr(1, "A"), enr(2, "A")]))
    assert progress.earned == D("5")
    assert progress.remaining == D("0")


def test_complete_plan():
    core = Block(1, "Core", D("3"), frozenset({1}))
    electives = Block(2, "Electives", D("1.5"), is_open=True)
    items = credit_items([enr(1, "P"), enr(4, "B", hours="1.5")])
    progress = plan_progress(plan(core, electives), items)
    assert progress.is_complete
    assert percent(progress.earned, progress.required) == 100


def test_percent_rounds_and_never_exceeds_100():
    assert percent(D("1"), D("3")) == 33
    assert percent(D("2"), D("3")) == 67
    assert percent(D("9"), D("3")) == 100
    assert percent(D("1"), D("0")) == 0


def test_grade_point_average_is_weighted_and_ignores_p_w_i():
    graded = [("A", D("3")), ("C", D("1")), ("P", D("3")), ("W", D("3")), ("I", D("2"))]
    assert grade_point_average(graded) == D("3.50")  # (12 + 2) / 4
    assert grade_point_average([("P", D("3"))]) is None


def test_credits_are_written_without_a_trailing_zero():
    assert [format_credits(D(x)) for x in ("3.0", "1.5", "12", "0")] == ["3", "1.5", "12", "0"]
    assert format_credits(None) == "0"
