package com.example.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

class InventoryTest
{
    @Test
    void shipsOnlyWhatIsInStock()
    {
        final Inventory inventory = new Inventory();
        inventory.define(new Sku("A-1", "bolt", 10));
        inventory.receive("A-1", 5);
        assertFalse(inventory.ship("A-1", 6));
        assertEquals(5, inventory.level("A-1"));
    }
}
