package com.example.inventory;

/**
 * A stock-keeping unit: what the warehouse counts.
 *
 * @param code     unique code.
 * @param name     for people.
 * @param minimum  reorder when stock falls below this.
 */
public record Sku(String code, String name, int minimum)
{
}
