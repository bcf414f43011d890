/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.gates;

/**
 * How a measured value must relate to a threshold's required value. Comparisons are exact on {@code double}:
 * {@code 79.9 AT_LEAST 80} is missed, {@code 80 AT_LEAST 80} is met.
 */
public enum Comparison
{
    /** measured {@code >=} required. */
    AT_LEAST(">="),
    /** measured {@code >} required. */
    ABOVE(">"),
    /** measured {@code <=} required. */
    AT_MOST("<="),
    /** measured {@code <} required. */
    BELOW("<"),
    /** measured {@code ==} required (for counts such as "0 critical vulnerabilities"). */
    EQUAL_TO("=");

    private final String symbol;

    Comparison(final String symbol)
    {
        this.symbol = symbol;
    }

    /**
     * The operator as written in specs and messages ({@code >=}, {@code >}, {@code <=}, {@code <}, {@code =}).
     *
     * @return the symbol.
     */
    public String symbol()
    {
        return symbol;
    }

    /**
     * Whether {@code measured} satisfies this comparison against {@code required}.
     *
     * @param measured the value seen.
     * @param required the threshold's value.
     * @return true when satisfied.
     */
    public boolean test(final double measured, final double required)
    {
        return switch (this)
        {
            case AT_LEAST -> measured >= required;
            case ABOVE -> measured > required;
            case AT_MOST -> measured <= required;
            case BELOW -> measured < required;
            case EQUAL_TO -> measured == required;
        };
    }

    /**
     * The comparison written as {@code symbol}; {@code ==} is accepted for {@link #EQUAL_TO}.
     *
     * @param symbol an operator.
     * @return the comparison.
     * @throws IllegalArgumentException naming the accepted operators when {@code symbol} is none of them.
     */
    public static Comparison fromSymbol(final String symbol)
    {
        if ("==".equals(symbol))
        {
            return EQUAL_TO;
        }
        for (final Comparison comparison : values())
        {
            if (comparison.symbol.equals(symbol))
            {
                return comparison;
            }
        }
        throw new IllegalArgumentException(
            "unknown comparison '" + symbol + "': expected one of >=, >, <=, <, = (or ==)");
    }
}
