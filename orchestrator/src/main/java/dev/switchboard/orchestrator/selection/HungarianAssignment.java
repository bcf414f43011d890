/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.selection;

import java.util.Arrays;
import java.util.Objects;

/**
 * Exact assignment of rows (tasks) to columns (agent slots) by the Kuhn–Munkres (Hungarian) algorithm with
 * potentials, in O(r² · c) time for r = min(rows, columns) and c = max(rows, columns).
 *
 * <p>The matrix holds a value per pair, higher is better, or {@link AgentScorer#INFEASIBLE} for a pair
 * that must never be assigned. The result is the assignment that
 * <ol>
 *   <li>assigns as many rows as possible using feasible pairs only, and among those</li>
 *   <li>has the greatest total value.</li>
 * </ol>
 * Each row gets at most one column and each column at most one row; the matrix may be rectangular either
 * way, so with more rows than columns the leftover rows stay {@link #UNASSIGNED}.
 *
 * <p>How: the value matrix is turned into a cost matrix {@code max - value}, infeasible pairs cost a
 * penalty larger than any total of feasible costs (so one infeasible pair more always costs more than the
 * best the other pairs can save), the shorter side is put on the rows, and the classic shortest augmenting
 * path algorithm with row and column potentials assigns every row. Pairs bought at the penalty are then
 * dropped.
 *
 * <p>Thread-safety: stateless, safe from any thread. Allocation: per call, a cost matrix of
 * rows × columns doubles and O(rows + columns) working arrays.
 */
public final class HungarianAssignment
{
    /** The column given to a row that gets none. */
    public static final int UNASSIGNED = -1;

    private HungarianAssignment()
    {
    }

    /**
     * @param values a rectangular matrix, {@code values[row][column]}: finite, or
     *               {@link AgentScorer#INFEASIBLE}. May have zero rows; rows may have zero columns.
     * @return for each row, its column or {@link #UNASSIGNED}.
     * @throws IllegalArgumentException if the matrix is ragged or holds NaN or positive infinity.
     */
    public static int[] maximize(final double[][] values)
    {
        Objects.requireNonNull(values, "values");
        final int rows = values.length;
        final int columns = rows == 0 ? 0 : values[0].length;
        final int[] result = new int[rows];
        Arrays.fill(result, UNASSIGNED);

        double max = Double.NEGATIVE_INFINITY;
        double min = Double.POSITIVE_INFINITY;
        for (int r = 0; r < rows; r++)
        {
            final double[] row = Objects.requireNonNull(values[r], "values[" + r + "]");
            if (row.length != columns)
            {
                throw new IllegalArgumentException("value matrix must be rectangular: row 0 has " + columns +
                    " columns but row " + r + " has " + row.length);
            }
            for (int c = 0; c < columns; c++)
            {
                final double v = row[c];
                if (Double.isNaN(v) || v == Double.POSITIVE_INFINITY)
                {
                    throw new IllegalArgumentException("value[" + r + "][" + c + "] must be finite or " +
                        "INFEASIBLE (negative infinity), but was " + v);
                }
                if (v != AgentScorer.INFEASIBLE)
                {
                    max = Math.max(max, v);
                    min = Math.min(min, v);
                }
            }
        }
        if (max == Double.NEGATIVE_INFINITY)
        {
            return result; // nothing feasible (or an empty matrix)
        }

        final boolean transposed = rows > columns;
        final int n = transposed ? columns : rows;
        final int m = transposed ? rows : columns;
        final double range = max - min;
        // Any n feasible pairs cost at most n * range in total; the penalty must exceed that.
        final double penalty = (n + 1) * range + 1.0;

        // 1-indexed cost matrix, n <= m; row and column 0 are the algorithm's sentinels.
        final double[][] cost = new double[n + 1][m + 1];
        for (int i = 1; i <= n; i++)
        {
            for (int j = 1; j <= m; j++)
            {
                final double v = transposed ? values[j - 1][i - 1] : values[i - 1][j - 1];
                cost[i][j] = v == AgentScorer.INFEASIBLE ? penalty : max - v;
            }
        }

        final int[] columnOwner = solve(cost, n, m);

        for (int j = 1; j <= m; j++)
        {
            final int i = columnOwner[j];
            if (i != 0 && cost[i][j] != penalty)
            {
                if (transposed)
                {
                    result[j - 1] = i - 1;
                }
                else
                {
                    result[i - 1] = j - 1;
                }
            }
        }
        return result;
    }

    /**
     * Minimum-cost assignment of all n rows to distinct columns of a 1-indexed n × m cost matrix, n ≤ m.
     *
     * @return for each column 1..m the row owning it, or 0.
     */
    private static int[] solve(final double[][] cost, final int n, final int m)
    {
        final double[] rowPotential = new double[n + 1];
        final double[] columnPotential = new double[m + 1];
        final int[] owner = new int[m + 1];
        final int[] previousColumn = new int[m + 1];
        final double[] minSlack = new double[m + 1];
        final boolean[] visited = new boolean[m + 1];

        for (int i = 1; i <= n; i++)
        {
            // Grow a shortest augmenting path from row i, rooted at the sentinel column 0.
            owner[0] = i;
            int column = 0;
            Arrays.fill(minSlack, Double.POSITIVE_INFINITY);
            Arrays.fill(visited, false);
            do
            {
                visited[column] = true;
                final int row = owner[column];
                double delta = Double.POSITIVE_INFINITY;
                int nextColumn = 0;
                for (int j = 1; j <= m; j++)
                {
                    if (!visited[j])
                    {
                        final double slack = cost[row][j] - rowPotential[row] - columnPotential[j];
                        if (slack < minSlack[j])
                        {
                            minSlack[j] = slack;
                            previousColumn[j] = column;
                        }
                        if (minSlack[j] < delta)
                        {
                            delta = minSlack[j];
                            nextColumn = j;
                        }
                    }
                }
                for (int j = 0; j <= m; j++)
                {
                    if (visited[j])
                    {
                        rowPotential[owner[j]] += delta;
                        columnPotential[j] -= delta;
                    }
                    else
                    {
                        minSlack[j] -= delta;
                    }
                }
                column = nextColumn;
            }
            while (owner[column] != 0);

            // Flip the path: each column on it passes to the row that reached it.
            do
            {
                final int previous = previousColumn[column];
                owner[column] = owner[previous];
                column = previous;
            }
            while (column != 0);
        }
        return owner;
    }
}
