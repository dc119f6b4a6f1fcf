package org.prune4j.export;

/**
 * How one tensor is stored in a compressed model file (see docs/export-format.md). The byte counts
 * are the exact body sizes the writer produces; the writer picks the smallest legal encoding.
 */
public enum Encoding {
    /** Every value as float32: {@code 4 n} bytes. Biases and BatchNorm parameters are always dense. */
    DENSE(0),
    /** u32 nonzeros, a bitmask of {@code ceil(n/8)} bytes, the nonzero values: {@code 4 + ceil(n/8) + 4 nnz}. */
    BITMASK(1),
    /**
     * Compressed sparse rows over (shape[0], n / shape[0]): u8 index width w (1, 2 or 4 bytes, the smallest
     * that holds a column), rows + 1 u32 row pointers, nnz column indices, nnz values:
     * {@code 1 + 4 (rows + 1) + nnz (w + 4)}.
     */
    CSR(2),
    /**
     * N:M: every group of M consecutive values of a row holds at most N nonzeros; u8 N, u8 M, u8 index bits
     * b = ceil(log2 M), then N values per group and N packed b-bit in-group positions per group:
     * {@code 3 + 4 G N + ceil(G N b / 8)} with G = n / M groups.
     */
    NM(3);

    final int code;

    Encoding(int code) {
        this.code = code;
    }

    static Encoding ofCode(int code) {
        for (Encoding encoding : values()) {
            if (encoding.code == code) {
                return encoding;
            }
        }
        return null;
    }
}
