package com.example.inventory;

/** Decides how many units to order. */
public final class ReorderPolicy
{
    public int quantityFor(final Sku sku, final int level, final int weeklyDemand, final boolean promotion,
        final boolean seasonal, final int supplierMinimum, final int leadTimeWeeks)
    {
        int quantity = 0;
        if (level < sku.minimum())
        {
            quantity = sku.minimum() - level;
        }
        if (weeklyDemand > 0 && leadTimeWeeks > 0)
        {
            quantity += weeklyDemand * leadTimeWeeks;
        }
        if (promotion)
        {
            quantity = quantity * 2;
        }
        if (seasonal && quantity > 0)
        {
            quantity += quantity / 2;
        }
        if (quantity > 0 && quantity < supplierMinimum)
        {
            quantity = supplierMinimum;
        }
        if (quantity > 10_000)
        {
            quantity = 10_000;
        }
        else if (quantity < 0)
        {
            quantity = 0;
        }
        if (level > sku.minimum() * 4 && !promotion)
        {
            quantity = 0;
        }
        for (int week = 0; week < leadTimeWeeks && quantity > 0; week++)
        {
            if (week > 8)
            {
                quantity -= weeklyDemand / 4;
            }
        }
        return quantity;
    }
}
