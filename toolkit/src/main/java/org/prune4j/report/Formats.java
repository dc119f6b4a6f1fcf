package org.prune4j.report;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.columns.numbers.NumberColumnFormatter;

import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;

/**
 * Print formats for table columns: tables print and render readably, while CSV files keep every digit
 * (Tablesaw's CSV writer ignores print formatters unless asked).
 */
public final class Formats {

    private Formats() {}

    /** Fixed decimals, such as 0.9773; also for signed differences (+0.0265 prints as 0.0265, -0.0133 as -0.0133). */
    public static DoubleColumn fixed(DoubleColumn column, int decimals) {
        DecimalFormat format = new DecimalFormat("0." + "0".repeat(decimals), DecimalFormatSymbols.getInstance(Locale.ROOT));
        column.setPrintFormatter(new NumberColumnFormatter(format, "NaN"));
        return column;
    }

    /** Up to {@code decimals} decimals without trailing zeros, such as 0.1 or 0.000625 for learning rates. */
    public static DoubleColumn compact(DoubleColumn column, int decimals) {
        DecimalFormat format = new DecimalFormat("0." + "#".repeat(decimals), DecimalFormatSymbols.getInstance(Locale.ROOT));
        column.setPrintFormatter(new NumberColumnFormatter(format, "NaN"));
        return column;
    }
}
