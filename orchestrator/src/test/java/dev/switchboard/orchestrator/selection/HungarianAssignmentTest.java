/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.selection;

import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HungarianAssignmentTest
{
    private static final double INF = AgentScorer.INFEASIBLE;
    private static final int UNASSIGNED = HungarianAssignment.UNASSIGNED;

    @Test
    void matchesBruteForceOnRandomSmallMatrices()
    {
        final Random random = new Random(20250101L);
        for (int trial = 0; trial < 300; trial++)
        {
            final int rows = 1 + random.nextInt(6);
            final int columns = 1 + random.nextInt(6);
            final double infeasibleShare = random.nextDouble() * 0.6;
            final double[][] values = new double[rows][columns];
            for (int r = 0; r < rows; r++)
            {
                for (int c = 0; c < columns; c++)
                {
                    values[r][c] = random.nextDouble() < infeasibleShare ? INF : random.nextInt(4) == 0 ?
                        random.nextInt(3) : random.nextDouble() * 3.0;
                }
            }

            final int[] assignment = HungarianAssignment.maximize(values);
            final double[] best = bruteForce(values, 0, new boolean[columns]);
            final String context = "trial " + trial + " (" + rows + "x" + columns + ")";

            assertEquals(rows, assignment.length, context);
            final boolean[] used = new boolean[columns];
            int count = 0;
            double total = 0.0;
            for (int r = 0; r < rows; r++)
            {
                final int c = assignment[r];
                if (c != UNASSIGNED)
                {
                    assertTrue(values[r][c] != INF, context + ": infeasible pair assigned");
                    assertTrue(!used[c], context + ": column used twice");
                    used[c] = true;
                    count++;
                    total += values[r][c];
                }
            }
            assertEquals(best[0], count, context + ": assigned count");
            assertEquals(best[1], total, 1e-9, context + ": total value");
        }
    }

    /** Best {count, total} over all partial injective row-to-column maps from row {@code r} on. */
    private static double[] bruteForce(final double[][] values, final int r, final boolean[] used)
    {
        if (r == values.length)
        {
            return new double[] {0, 0};
        }
        double[] best = bruteForce(values, r + 1, used); // row r unassigned
        for (int c = 0; c < used.length; c++)
        {
            if (!used[c] && values[r][c] != INF)
            {
                used[c] = true;
                final double[] rest = bruteForce(values, r + 1, used);
                used[c] = false;
                final double[] option = {rest[0] + 1, rest[1] + values[r][c]};
                if (option[0] > best[0] || (option[0] == best[0] && option[1] > best[1]))
                {
                    best = option;
                }
            }
        }
        return best;
    }

    @Test
    void neverAssignsInfeasiblePairsEvenWhenThatLeavesRowsOut()
    {
        final double[][] values = {
            {1.0, INF},
            {2.0, INF},
        };

        final int[] assignment = HungarianAssignment.maximize(values);

        assertArrayEquals(new int[] {UNASSIGNED, 0}, assignment);
    }

    @Test
    void prefersMoreAssignmentsOverHigherValue()
    {
        final double[][] values = {
            {0.1, 9.0},
            {INF, 0.1},
        };

        assertArrayEquals(new int[] {0, 1}, HungarianAssignment.maximize(values));
    }

    @Test
    void moreRowsThanColumnsLeavesTheWeakestRowsOut()
    {
        final double[][] values = {
            {0.2},
            {0.9},
            {0.5},
        };

        assertArrayEquals(new int[] {UNASSIGNED, 0, UNASSIGNED}, HungarianAssignment.maximize(values));
    }

    @Test
    void emptyAndAllInfeasibleMatricesAssignNothing()
    {
        assertEquals(0, HungarianAssignment.maximize(new double[0][0]).length);
        assertArrayEquals(new int[] {UNASSIGNED}, HungarianAssignment.maximize(new double[][] {{INF, INF}}));
        assertArrayEquals(new int[] {UNASSIGNED}, HungarianAssignment.maximize(new double[][] {{}}));
    }

    @Test
    void raggedMatrixIsRejected()
    {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> HungarianAssignment.maximize(new double[][] {{1, 2}, {1}}));
        assertNotEquals(-1, e.getMessage().indexOf("row 1 has 1"), e.getMessage());
    }

    @Test
    void nanIsRejected()
    {
        assertThrows(IllegalArgumentException.class, () -> HungarianAssignment.maximize(new double[][] {{Double.NaN}}));
    }
}
