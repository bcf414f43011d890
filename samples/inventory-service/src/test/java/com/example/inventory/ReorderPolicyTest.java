package com.example.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ReorderPolicyTest
{
    @Test
    void ordersTheShortfallWhenThereIsNoDemand()
    {
        final ReorderPolicy policy = new ReorderPolicy();
        assertEquals(7, policy.quantityFor(new Sku("A-1", "bolt", 10), 3, 0, false, false, 0, 0));
    }
}
