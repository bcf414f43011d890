"""Tests of inventory."""
from inventory import reorder_quantity


def test_orders_whole_batches_below_the_minimum():
    assert reorder_quantity(3, 10, 5) == 10


def test_orders_nothing_at_the_minimum():
    assert reorder_quantity(10, 10, 5) == 0
