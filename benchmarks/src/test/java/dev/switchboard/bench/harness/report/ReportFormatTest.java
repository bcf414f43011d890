/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness.report;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ReportFormatTest
{
    @Test
    void latenciesAreWrittenInTheUnitThatKeepsThemBelowAThousand()
    {
        assertEquals("412 ns", ReportFormat.nanos(412));
        assertEquals("3.4 µs", ReportFormat.nanos(3_400));
        assertEquals("3.41 µs", ReportFormat.nanos(3_412));
        assertEquals("1.25 ms", ReportFormat.nanos(1_250_000));
        assertEquals("1 µs", ReportFormat.nanos(999.7));
        assertEquals("—", ReportFormat.nanos(Double.NaN));
    }

    @Test
    void ratesAreWrittenInMillionsPerSecond()
    {
        assertEquals("12.3 M/s", ReportFormat.rate(12_345_678));
        assertEquals("850 k/s", ReportFormat.rate(850_000));
        assertEquals("68 M/s", ReportFormat.rate(68e6));
    }

    @Test
    void ratiosHaveTwoDecimals()
    {
        assertEquals("1.08x", ReportFormat.ratio(1.0833));
        assertEquals("0.50x", ReportFormat.ratio(0.5));
    }

    @Test
    void percentileAxisDecadesAreLabelledAsPercentiles()
    {
        assertEquals("0%", ReportPlots.percentileLabel(1));
        assertEquals("90%", ReportPlots.percentileLabel(10));
        assertEquals("99%", ReportPlots.percentileLabel(100));
        assertEquals("99.9%", ReportPlots.percentileLabel(1_000));
        assertEquals("99.999%", ReportPlots.percentileLabel(100_000));
    }
}
