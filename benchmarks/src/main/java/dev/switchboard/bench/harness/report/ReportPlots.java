/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness.report;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.ChartEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.IChart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The report's charts, drawn with XChart into PNG files without a display.
 * <ul>
 *   <li>Latency: HdrHistogram's percentile-distribution plot. x is {@code 1 / (1 - p)} on a log axis, labelled as
 *       the percentile (0 %, 90 %, 99 %, 99.9 %, ...), so each decade of the tail gets the same width; y is the
 *       latency on a log axis; one line per case.</li>
 *   <li>Throughput: messages per second per case, one bar per producer count.</li>
 * </ul>
 */
final class ReportPlots
{
    static
    {
        // Before XChart touches AWT: there is no display on a benchmark host.
        System.setProperty("java.awt.headless", "true");
    }

    static final int WIDTH = 1000;
    static final int HEIGHT = 600;

    /** Ten colours told apart at a glance (Tableau 10): the default palette repeats yellows. */
    private static final Color[] PALETTE = {
        new Color(0x4E79A7), new Color(0xF28E2B), new Color(0xE15759), new Color(0x76B7B2), new Color(0x59A14F),
        new Color(0xEDC948), new Color(0xB07AA1), new Color(0xFF9DA7), new Color(0x9C755F), new Color(0xBAB0AC) };

    /** Percentile iteration steps per halving of the distance to 100 %: smooth lines, about 100 points. */
    private static final int TICKS_PER_HALF_DISTANCE = 5;

    private ReportPlots()
    {
    }

    /**
     * @param file   the PNG to write.
     * @param title  the chart's title.
     * @param yTitle the latency axis's title.
     * @param series case id to its distribution, in legend order.
     * @throws IOException when the file cannot be written.
     */
    static void latency(final Path file, final String title, final String yTitle, final Map<String, Histogram> series)
        throws IOException
    {
        final XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
            .xAxisTitle("Percentile").yAxisTitle(yTitle).build();
        final var styler = chart.getStyler();
        styler.setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        styler.setLegendPosition(Styler.LegendPosition.InsideNW);
        styler.setXAxisLogarithmic(true);
        styler.setYAxisLogarithmic(true);
        styler.setXAxisLogarithmicDecadeOnly(true);
        styler.setYAxisLogarithmicDecadeOnly(false);
        styler.setXAxisMin(1.0);
        styler.setXAxisTickLabelsFormattingFunction(ReportPlots::percentileLabel);
        styler.setYAxisTickLabelsFormattingFunction(ReportPlots::latencyLabel);
        styler.setSeriesColors(PALETTE);
        for (final Map.Entry<String, Histogram> e : series.entrySet())
        {
            final double[][] points = percentileCurve(e.getValue());
            chart.addSeries(e.getKey(), points[0], points[1]).setMarker(SeriesMarkers.NONE)
                .setLineStyle(new BasicStroke(2.0f));
        }
        save(chart, file);
    }

    /**
     * @param file       the PNG to write.
     * @param title      the chart's title.
     * @param categories the cases, in bar order.
     * @param series     series name ("1 producer") to messages per second per category (null where not run).
     * @throws IOException when the file cannot be written.
     */
    static void throughput(
        final Path file, final String title, final List<String> categories, final Map<String, List<Double>> series)
        throws IOException
    {
        final CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title)
            .xAxisTitle("Case").yAxisTitle("Messages per second").build();
        final var styler = chart.getStyler();
        styler.setLegendPosition(Styler.LegendPosition.InsideNE);
        styler.setXAxisLabelRotation(20);
        styler.setYAxisTickLabelsFormattingFunction(ReportFormat::rate);
        styler.setSeriesColors(PALETTE);
        for (final Map.Entry<String, List<Double>> e : series.entrySet())
        {
            chart.addSeries(e.getKey(), categories, e.getValue());
        }
        save(chart, file);
    }

    /**
     * @param h a latency distribution.
     * @return {x, y}: x = 1 / (1 - percentile), y = the value at it; the maximum is placed at 1 - 1 / count, the
     * percentile one value in {@code count} is above, since 100 % has no place on the axis.
     */
    static double[][] percentileCurve(final Histogram h)
    {
        final List<double[]> points = new ArrayList<>();
        final double lastX = Math.max(1.0, h.getTotalCount());
        for (final HistogramIterationValue v : h.percentiles(TICKS_PER_HALF_DISTANCE))
        {
            final double p = v.getPercentileLevelIteratedTo() / 100.0;
            if (p >= 1.0)
            {
                break;
            }
            final double x = 1.0 / (1.0 - p);
            if (x >= lastX)
            {
                break;
            }
            points.add(new double[] { x, Math.max(1, v.getValueIteratedTo()) });
        }
        points.add(new double[] { lastX, Math.max(1, h.getMaxValue()) });
        final double[][] xy = new double[2][points.size()];
        for (int i = 0; i < points.size(); i++)
        {
            xy[0][i] = points.get(i)[0];
            xy[1][i] = points.get(i)[1];
        }
        return xy;
    }

    /**
     * @param x a decade of {@code 1 / (1 - p)}.
     * @return the percentile it stands for: 1 is 0 %, 10 is 90 %, 1000 is 99.9 %.
     */
    static String percentileLabel(final double x)
    {
        final long nines = Math.round(Math.log10(Math.max(1.0, x)));
        if (nines <= 0)
        {
            return "0%";
        }
        if (1 == nines)
        {
            return "90%";
        }
        return "99" + (nines > 2 ? "." + "9".repeat((int)(nines - 2)) : "") + "%";
    }

    /**
     * @param ns a tick of the log latency axis (every 1 to 9 times a power of ten).
     * @return its label at 1, 2 and 5 times a power of ten, else blank: enough to read, not crowded.
     */
    static String latencyLabel(final double ns)
    {
        final double mantissa = ns / Math.pow(10, Math.floor(Math.log10(ns) + 1e-9));
        final long leading = Math.round(mantissa);
        return Math.abs(mantissa - leading) < 1e-6 && (1 == leading || 2 == leading || 5 == leading) ?
            ReportFormat.nanos(ns) : "";
    }

    private static void save(final IChart chart, final Path file) throws IOException
    {
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (OutputStream out = Files.newOutputStream(file))
        {
            // ChartEncoder replaces BitmapEncoder.saveBitmap, deprecated in XChart 4.
            ChartEncoder.saveChart(chart, out, "png");
        }
    }
}
