package org.prune4j.notebook;

import java.util.Locale;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * Tablesaw tables as compact HTML: a caption with the table's name and size, right-aligned numbers
 * rounded for reading, and at most a fixed number of rows followed by a "… N more rows" line.
 */
public final class HtmlTables {

    /** Rows shown by {@link #html(Table)}. */
    public static final int DEFAULT_MAX_ROWS = 20;

    private HtmlTables() {
    }

    /** The table as HTML, showing the first {@value #DEFAULT_MAX_ROWS} rows. */
    public static String html(Table table) {
        return html(table, DEFAULT_MAX_ROWS);
    }

    /**
     * The table as HTML, showing the first {@code maxRows} rows.
     *
     * @throws IllegalArgumentException if {@code maxRows < 1}
     */
    public static String html(Table table, int maxRows) {
        if (maxRows < 1) {
            throw new IllegalArgumentException("maxRows " + maxRows + " is below 1 (needs maxRows >= 1)");
        }
        int rows = table.rowCount();
        int shown = Math.min(rows, maxRows);
        StringBuilder out = new StringBuilder(256 + 64 * shown * Math.max(1, table.columnCount()));
        out.append("<table class=\"prune4j-table\" style=\"border-collapse:collapse;font-family:monospace\">");
        out.append("<caption style=\"text-align:left;font-weight:bold\">")
                .append(escape(table.name() == null ? "table" : table.name()))
                .append(String.format(Locale.ROOT, " <span style=\"font-weight:normal\">(%d rows × %d columns)</span>",
                        rows, table.columnCount()))
                .append("</caption><thead><tr>");
        for (Column<?> column : table.columns()) {
            out.append("<th style=\"text-align:").append(align(column))
                    .append(";padding:2px 8px;border-bottom:1px solid #888\">")
                    .append(escape(column.name())).append("</th>");
        }
        out.append("</tr></thead><tbody>");
        for (int row = 0; row < shown; row++) {
            out.append("<tr>");
            for (Column<?> column : table.columns()) {
                out.append("<td style=\"text-align:").append(align(column)).append(";padding:2px 8px\">")
                        .append(escape(cell(column, row))).append("</td>");
            }
            out.append("</tr>");
        }
        out.append("</tbody></table>");
        if (rows > shown) {
            out.append(String.format(Locale.ROOT, "<p style=\"font-family:monospace\">… %d more rows</p>", rows - shown));
        }
        return out.toString();
    }

    /** The table as aligned plain text, with the same row limit and rounding as the HTML. */
    public static String text(Table table, int maxRows) {
        int rows = table.rowCount();
        int shown = Math.min(rows, Math.max(1, maxRows));
        int columns = table.columnCount();
        String[][] cells = new String[shown + 1][columns];
        int[] width = new int[columns];
        for (int c = 0; c < columns; c++) {
            Column<?> column = table.column(c);
            cells[0][c] = column.name();
            for (int row = 0; row < shown; row++) {
                cells[row + 1][c] = cell(column, row);
            }
            for (String[] line : cells) {
                width[c] = Math.max(width[c], line[c].length());
            }
        }
        StringBuilder out = new StringBuilder();
        out.append(table.name()).append(String.format(Locale.ROOT, " (%d rows × %d columns)%n", rows, columns));
        for (String[] line : cells) {
            for (int c = 0; c < columns; c++) {
                boolean right = align(table.column(c)).equals("right");
                String pad = " ".repeat(width[c] - line[c].length());
                out.append(c == 0 ? "" : "  ").append(right ? pad + line[c] : line[c] + pad);
            }
            out.append(System.lineSeparator());
        }
        if (rows > shown) {
            out.append(String.format(Locale.ROOT, "… %d more rows%n", rows - shown));
        }
        return out.toString();
    }

    /** One cell as text: numbers rounded for reading (integers exact), missing values empty. */
    static String cell(Column<?> column, int row) {
        if (column.isMissing(row)) {
            return "";
        }
        Object value = column.get(row);
        if (value instanceof Double || value instanceof Float) {
            return number(((Number) value).doubleValue());
        }
        return String.valueOf(value);
    }

    /** 4 decimals below 1, 3 below 100, 1 above; NaN and infinities by name. */
    static String number(double value) {
        if (!Double.isFinite(value)) {
            return Double.toString(value);
        }
        double magnitude = Math.abs(value);
        if (magnitude == 0) {
            return "0";
        }
        if (magnitude < 1e-4) {
            return String.format(Locale.ROOT, "%.3e", value);
        }
        String pattern = magnitude < 1 ? "%.4f" : magnitude < 100 ? "%.3f" : "%,.1f";
        return String.format(Locale.ROOT, pattern, value);
    }

    private static String align(Column<?> column) {
        return isNumeric(column) ? "right" : "left";
    }

    private static boolean isNumeric(Column<?> column) {
        return column instanceof tech.tablesaw.api.NumericColumn<?>;
    }

    /** Escapes the five HTML-special characters. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            switch (ch) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(ch);
            }
        }
        return out.toString();
    }
}
