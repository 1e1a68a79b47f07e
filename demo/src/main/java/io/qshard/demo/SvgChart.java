package io.qshard.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The demo's chart as a self-contained SVG: cluster cpu usage and its prod part over time (share of real allocatable
 * cpu), the hot threshold, the moment the borrowing tiers arrived, and the hot nodes per sample as bars. Stateless.
 */
public final class SvgChart {
    private static final int W = 900;
    private static final int H = 420;
    private static final int LEFT = 60;
    private static final int RIGHT = 20;
    private static final int TOP = 40;
    private static final int BOTTOM = 60;

    private SvgChart() {}

    /** Writes the chart of {@code samples}; {@code switchAt} is when the second phase began (seconds), or negative. */
    public static Path write(Path file, List<UsageSampler.Sample> samples, double switchAt, int nodes, String title)
            throws IOException {
        double tMax = samples.isEmpty()
                ? 1
                : Math.max(1, samples.get(samples.size() - 1).seconds());
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(
                Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                        + "font-family=\"sans-serif\" font-size=\"12\">%n<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>%n",
                W,
                H));
        svg.append(String.format(
                Locale.ROOT, "<text x=\"%d\" y=\"22\" font-size=\"15\">%s</text>%n", LEFT, escape(title)));
        for (int pct = 0; pct <= 100; pct += 20) { // grid and y axis
            double y = y(pct / 100.0);
            svg.append(String.format(
                    Locale.ROOT,
                    "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                            + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%d%%</text>%n",
                    LEFT,
                    y,
                    W - RIGHT,
                    y,
                    LEFT - 6,
                    y + 4,
                    pct));
        }
        for (int i = 0; i <= 6; i++) { // x axis
            double t = tMax * i / 6;
            svg.append(String.format(
                    Locale.ROOT,
                    "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%.0f s</text>%n",
                    x(t, tMax),
                    H - BOTTOM + 18,
                    t));
        }
        double hot = y(UsageSampler.HOT);
        svg.append(String.format(
                Locale.ROOT,
                "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#c00\" stroke-dasharray=\"6,4\"/>"
                        + "<text x=\"%d\" y=\"%.1f\" fill=\"#c00\" text-anchor=\"end\">hot (node &gt; 90 %%)</text>%n",
                LEFT,
                hot,
                W - RIGHT,
                hot,
                W - RIGHT,
                hot - 4));
        if (switchAt >= 0) {
            double sx = x(switchAt, tMax);
            svg.append(String.format(
                    Locale.ROOT,
                    "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#888\"/>"
                            + "<text x=\"%.1f\" y=\"%d\" fill=\"#555\">mid, batch, free arrive</text>%n",
                    sx,
                    TOP,
                    sx,
                    H - BOTTOM,
                    sx + 4,
                    TOP + 12));
        }
        for (UsageSampler.Sample s : samples) { // hot nodes: bars along the bottom, 1 node = 2 px
            if (s.hotNodes() > 0) {
                double h = Math.min(60, 2.0 * s.hotNodes());
                svg.append(String.format(
                        Locale.ROOT,
                        "<rect x=\"%.1f\" y=\"%.1f\" width=\"3\" height=\"%.1f\" fill=\"#e88\"/>%n",
                        x(s.seconds(), tMax) - 1.5,
                        H - BOTTOM - h,
                        h));
            }
        }
        svg.append(polyline(samples, tMax, true, "#1f5fbf"));
        svg.append(polyline(samples, tMax, false, "#2a9d3a"));
        svg.append(String.format(
                Locale.ROOT,
                "<text x=\"%d\" y=\"%d\" fill=\"#1f5fbf\">— cluster cpu used (all tiers)</text>"
                        + "<text x=\"%d\" y=\"%d\" fill=\"#2a9d3a\">— of which prod</text>"
                        + "<text x=\"%d\" y=\"%d\" fill=\"#c66\">▮ hot nodes (of %d)</text>%n",
                LEFT,
                H - 18,
                LEFT + 260,
                H - 18,
                LEFT + 420,
                H - 18,
                nodes));
        svg.append("</svg>\n");
        Files.createDirectories(file.toAbsolutePath().getParent());
        return Files.writeString(file, svg.toString());
    }

    private static String polyline(List<UsageSampler.Sample> samples, double tMax, boolean total, String color) {
        StringBuilder pts = new StringBuilder();
        for (UsageSampler.Sample s : samples) {
            pts.append(
                    String.format(Locale.ROOT, "%.1f,%.1f ", x(s.seconds(), tMax), y(total ? s.cpu() : s.prodCpu())));
        }
        return "<polyline fill=\"none\" stroke=\"" + color + "\" stroke-width=\"2\" points=\""
                + pts.toString().trim() + "\"/>\n";
    }

    private static double x(double t, double tMax) {
        return LEFT + (W - LEFT - RIGHT) * t / tMax;
    }

    private static double y(double share) {
        return TOP + (H - TOP - BOTTOM) * (1 - Math.min(1.05, Math.max(0, share)));
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
