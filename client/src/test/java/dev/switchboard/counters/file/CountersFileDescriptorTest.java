package dev.switchboard.counters.file;

import java.util.SplittableRandom;

import dev.switchboard.counters.CounterIds;
import org.junit.jupiter.api.Test;

import static dev.switchboard.counters.file.CountersFileDescriptor.HISTOGRAM_BUCKETS;
import static dev.switchboard.counters.file.CountersFileDescriptor.histogramBucket;
import static dev.switchboard.counters.file.CountersFileDescriptor.histogramUpperBoundNs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CountersFileDescriptorTest
{
    @Test
    void bucketBoundsAscendFrom64NsToOverflowEachAtMostAQuarterWide()
    {
        assertEquals(64, histogramUpperBoundNs(0));
        assertEquals(Long.MAX_VALUE, histogramUpperBoundNs(HISTOGRAM_BUCKETS - 1));
        assertEquals(1L << 36, histogramUpperBoundNs(HISTOGRAM_BUCKETS - 2));
        for (int i = 1; i < HISTOGRAM_BUCKETS - 1; i++)
        {
            final long lower = histogramUpperBoundNs(i - 1);
            final long upper = histogramUpperBoundNs(i);
            assertTrue(upper > lower, "bucket " + i);
            assertTrue((upper - lower) * 4 <= lower, "bucket " + i + " (" + lower + ", " + upper + "] is too wide");
        }
    }

    @Test
    void aValueFallsInTheFirstBucketWhoseUpperBoundHoldsIt()
    {
        for (long v = -5; v < 70_000; v++)
        {
            assertBucket(v);
        }
        final SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 200_000; i++)
        {
            assertBucket(random.nextLong(1L << random.nextInt(1, 63)));
        }
        for (int shift = 6; shift < 63; shift++)
        {
            assertBucket(1L << shift);
            assertBucket((1L << shift) + 1);
            assertBucket((1L << shift) - 1);
        }
        assertBucket(Long.MAX_VALUE);
    }

    private static void assertBucket(final long v)
    {
        final int bucket = histogramBucket(v);
        assertTrue(v <= histogramUpperBoundNs(bucket), v + " above bucket " + bucket);
        assertTrue(bucket == 0 || v > histogramUpperBoundNs(bucket - 1), v + " belongs below bucket " + bucket);
    }

    @Test
    void sectionsStartOnTwoCacheLinesAndFollowEachOther()
    {
        final int n = CounterIds.COUNT;
        assertEquals(CountersFileDescriptor.HEADER_LENGTH, CountersFileDescriptor.metadataOffset(n));
        for (final int offset : new int[]{CountersFileDescriptor.metadataOffset(n), CountersFileDescriptor.valuesOffset(n),
            CountersFileDescriptor.histogramsOffset(n), CountersFileDescriptor.errorLogOffset(n),
            CountersFileDescriptor.fileLength(n), CountersFileDescriptor.HISTOGRAM_LENGTH})
        {
            assertEquals(0, offset % CountersFileDescriptor.SECTION_ALIGNMENT, String.valueOf(offset));
        }
        assertTrue(CountersFileDescriptor.NAME_OFFSET + CountersFileDescriptor.MAX_NAME_LENGTH <=
            CountersFileDescriptor.HEADER_LENGTH);
        assertEquals("agent-Testbed-42.counters",
            CountersFileDescriptor.fileName(CountersSnapshot.Role.AGENT, "Testbed", 42));
    }
}
