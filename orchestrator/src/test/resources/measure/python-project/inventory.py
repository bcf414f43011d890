"""Stock levels and when to reorder."""
import os


def reorder_quantity(stock, minimum, batch):
    """How many to order so that stock is back above the minimum, in whole batches."""
    if stock >= minimum:
        return 0
    shortfall = minimum - stock
    return ((shortfall + batch - 1) // batch) * batch


def describe(stock):
    """Left uncovered on purpose: no test calls it."""
    if stock == 0:
        return "out of stock"
    return str(stock) + " in stock"
