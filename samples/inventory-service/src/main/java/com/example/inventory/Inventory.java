package com.example.inventory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Stock levels by SKU. Not thread-safe. */
public final class Inventory
{
    private final Map<String, Integer> stock = new HashMap<>();
    private final Map<String, Sku> skus = new HashMap<>();

    /**
     * Adds a SKU with no stock.
     *
     * @param sku the SKU.
     */
    public void define(final Sku sku)
    {
        skus.put(sku.code(), sku);
        stock.putIfAbsent(sku.code(), 0);
    }

    public void receive(final String code, final int quantity)
    {
        if (quantity <= 0)
        {
            throw new IllegalArgumentException("quantity must be positive: " + quantity);
        }
        stock.merge(code, quantity, Integer::sum);
    }

    public boolean ship(final String code, final int quantity)
    {
        final int have = stock.getOrDefault(code, 0);
        if (have < quantity)
        {
            return false;
        }
        stock.put(code, have - quantity);
        return true;
    }

    /**
     * @param code a SKU code.
     * @return units in stock.
     */
    public int level(final String code)
    {
        return stock.getOrDefault(code, 0);
    }

    public List<Sku> belowMinimum()
    {
        return skus.values().stream().filter(s -> level(s.code()) < s.minimum()).toList();
    }
}
