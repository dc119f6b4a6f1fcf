package org.prune4j.export;

import java.util.List;
import java.util.Locale;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Sizes of one export: per parameter the encoding chosen and its bytes, and the whole file against DJL's
 * own dense {@code .params} file and its gzip.
 *
 * @param tensors     one entry per parameter, in file order
 * @param fileBytes   size of the compressed file
 * @param djlBytes    size of DJL's {@code Block.saveParameters} output for the same block
 * @param djlGzipBytes size of that output after gzip (default level)
 */
public record ExportReport(List<Entry> tensors, long fileBytes, long djlBytes, long djlGzipBytes) {

    /** One parameter: name, shape text, encoding (with its detail, such as {@code int16} or {@code 2:4}). */
    public record Entry(String name, String shape, Encoding encoding, String detail, long values, long nonzeros,
                        long bytes) {}

    /** Validates and freezes the list. */
    public ExportReport {
        tensors = List.copyOf(tensors);
    }

    /** {@code fileBytes / djlBytes}. */
    public double ratio() {
        return (double) fileBytes / djlBytes;
    }

    /** Table "export": parameter, shape, values, density, encoding, bytes, dense bytes (4 per value). */
    public Table table() {
        Table table = Table.create("export",
                StringColumn.create("parameter"), StringColumn.create("shape"), LongColumn.create("values"),
                DoubleColumn.create("density"), StringColumn.create("encoding"), LongColumn.create("bytes"),
                LongColumn.create("denseBytes"));
        for (Entry entry : tensors) {
            table.stringColumn("parameter").append(entry.name());
            table.stringColumn("shape").append(entry.shape());
            table.longColumn("values").append(entry.values());
            table.doubleColumn("density").append(entry.values() == 0 ? 1.0 : (double) entry.nonzeros() / entry.values());
            table.stringColumn("encoding").append(entry.detail().isEmpty() ? entry.encoding().name().toLowerCase(Locale.ROOT)
                    : entry.encoding().name().toLowerCase(Locale.ROOT) + " " + entry.detail());
            table.longColumn("bytes").append(entry.bytes());
            table.longColumn("denseBytes").append(4 * entry.values());
        }
        return table;
    }

    /** Table "sizes": file, bytes, ratio to the dense .params. */
    public Table sizes() {
        return Table.create("sizes",
                StringColumn.create("file", "DJL dense .params", "gzip of DJL .params", "prune4j compressed"),
                LongColumn.create("bytes", djlBytes, djlGzipBytes, fileBytes),
                DoubleColumn.create("ratio", 1.0, (double) djlGzipBytes / djlBytes, ratio()));
    }
}
