from hypothesis import given, settings, HealthCheck
from hypothesis import strategies as st
from tests import test_suggest as t
from tests.strategies import programme_data
from tests.replan_strategies import disrupted

S = settings(max_examples=600, deadline=None, derandomize=False, suppress_health_check=[HealthCheck.too_slow])

@S
@given(programme_data(), st.integers(0, 100), t.AS_OF)
def test_a(data, pick, as_of):
    t.test_each_option_is_what_pinning_and_replanning_gives.hypothesis.inner_test(data, pick, as_of)

@S
@given(disrupted(programme_data()), st.integers(0, 100))
def test_b(edited, pick):
    t.test_against_the_plan_of_an_earlier_version_too.hypothesis.inner_test(edited, pick)

@S
@given(programme_data(), t.NEW_ITEM)
def test_c(data, drawn):
    t.test_a_new_item_is_weighed_as_if_it_were_in_the_file.hypothesis.inner_test(data, drawn)
