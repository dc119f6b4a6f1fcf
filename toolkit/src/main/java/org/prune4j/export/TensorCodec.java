package org.prune4j.export;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Encodes and decodes the body of one float32 tensor (little endian). Only +0.0 is left out of the
 * sparse encodings; every other value, -0.0 and NaN included, is stored with its exact bits, so a
 * decoded tensor equals the encoded one bit for bit (see docs/export-format.md). Masking leaves +0.0
 * ({@code SparseModel.applyMask}), so pruned weights cost nothing.
 */
final class TensorCodec {

    /** Group sizes M tried for N:M; N:M is used only when N <= M / 2. */
    static final int[] NM_GROUPS = {4, 8, 16};

    private TensorCodec() {}

    /** A chosen encoding and its body; {@code nonzeros} counts the stored values (all but +0.0). */
    record Encoded(Encoding encoding, byte[] body, long nonzeros, String detail) {}

    /** Whether a sparse encoding stores this value: every value but +0.0 (raw bits 0). */
    static boolean stored(float value) {
        return Float.floatToRawIntBits(value) != 0;
    }

    static long bitmaskBytes(long n, long nonzeros) {
        return 4 + (n + 7) / 8 + 4 * nonzeros;
    }

    static int csrIndexBytes(long cols) {
        return cols <= 256 ? 1 : cols <= 65_536 ? 2 : 4;
    }

    static long csrBytes(long rows, long cols, long nonzeros) {
        return 1 + 4 * (rows + 1) + nonzeros * (csrIndexBytes(cols) + 4);
    }

    static int nmIndexBits(int m) {
        return 32 - Integer.numberOfLeadingZeros(m - 1);
    }

    static long nmBytes(long n, int keep, int group) {
        long groups = n / group;
        return 3 + 4 * groups * keep + (groups * keep * nmIndexBits(group) + 7) / 8;
    }

    /**
     * The largest number of nonzeros in any group of {@code group} consecutive values of a row, or -1
     * when the row length is not a multiple of the group.
     */
    static int maxNonzerosPerGroup(float[] data, long cols, int group) {
        if (cols % group != 0) {
            return -1;
        }
        int max = 0;
        for (int start = 0; start < data.length; start += group) {
            int count = 0;
            for (int i = start; i < start + group; i++) {
                if (stored(data[i])) {
                    count++;
                }
            }
            max = Math.max(max, count);
        }
        return max;
    }

    /** The smallest encoding; {@code sparseAllowed} false (biases, norms, vectors) always gives DENSE. */
    static Encoded encode(float[] data, long[] shape, boolean sparseAllowed) {
        long n = data.length;
        if (!sparseAllowed || shape.length < 2 || n == 0) {
            return new Encoded(Encoding.DENSE, dense(data), countStored(data), "");
        }
        long rows = shape[0];
        long cols = n / rows;
        long nonzeros = countStored(data);
        Encoding best = Encoding.DENSE;
        long bestBytes = 4 * n;
        int bestKeep = 0;
        int bestGroup = 0;
        // Ties keep the earlier choice: dense (bit exact), then N:M (keeps the structure), bitmask, CSR.
        for (int group : NM_GROUPS) {
            int keep = maxNonzerosPerGroup(data, cols, group);
            if (keep >= 0 && keep <= group / 2) {
                int stored = Math.max(keep, 1);
                long bytes = nmBytes(n, stored, group);
                if (bytes < bestBytes) {
                    best = Encoding.NM;
                    bestBytes = bytes;
                    bestKeep = stored;
                    bestGroup = group;
                }
            }
        }
        if (bitmaskBytes(n, nonzeros) < bestBytes) {
            best = Encoding.BITMASK;
            bestBytes = bitmaskBytes(n, nonzeros);
        }
        if (csrBytes(rows, cols, nonzeros) < bestBytes) {
            best = Encoding.CSR;
        }
        switch (best) {
            case BITMASK:
                return new Encoded(best, bitmask(data, nonzeros), nonzeros, "");
            case CSR:
                return new Encoded(best, csr(data, rows, cols, nonzeros), nonzeros,
                        "int" + 8 * csrIndexBytes(cols));
            case NM:
                return new Encoded(best, nm(data, bestKeep, bestGroup), nonzeros, bestKeep + ":" + bestGroup);
            default:
                return new Encoded(best, dense(data), nonzeros, "");
        }
    }

    static long countStored(float[] data) {
        long count = 0;
        for (float value : data) {
            if (stored(value)) {
                count++;
            }
        }
        return count;
    }

    private static ByteBuffer buffer(long bytes) {
        if (bytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("tensor body of " + bytes + " bytes is too large (max 2 GiB)");
        }
        return ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    static byte[] dense(float[] data) {
        ByteBuffer out = buffer(4L * data.length);
        for (float value : data) {
            out.putInt(Float.floatToRawIntBits(value));
        }
        return out.array();
    }

    static byte[] bitmask(float[] data, long nonzeros) {
        int n = data.length;
        ByteBuffer out = buffer(bitmaskBytes(n, nonzeros));
        out.putInt((int) nonzeros);
        int maskStart = out.position();
        int valueStart = maskStart + (n + 7) / 8;
        int valuePos = valueStart;
        byte[] array = out.array();
        for (int i = 0; i < n; i++) {
            if (stored(data[i])) {
                array[maskStart + (i >>> 3)] |= (byte) (1 << (i & 7));
                out.putInt(valuePos, Float.floatToRawIntBits(data[i]));
                valuePos += 4;
            }
        }
        return array;
    }

    static byte[] csr(float[] data, long rows, long cols, long nonzeros) {
        int width = csrIndexBytes(cols);
        ByteBuffer out = buffer(csrBytes(rows, cols, nonzeros));
        out.put((byte) width);
        int pointerStart = out.position();
        int indexStart = pointerStart + 4 * (int) (rows + 1);
        int valueStart = indexStart + width * (int) nonzeros;
        int k = 0;
        for (int r = 0; r < rows; r++) {
            out.putInt(pointerStart + 4 * r, k);
            int base = (int) (r * cols);
            for (int c = 0; c < cols; c++) {
                float value = data[base + c];
                if (stored(value)) {
                    putIndex(out, indexStart + width * k, width, c);
                    out.putInt(valueStart + 4 * k, Float.floatToRawIntBits(value));
                    k++;
                }
            }
        }
        out.putInt(pointerStart + 4 * (int) rows, k);
        return out.array();
    }

    private static void putIndex(ByteBuffer out, int at, int width, int index) {
        if (width == 1) {
            out.put(at, (byte) index);
        } else if (width == 2) {
            out.putShort(at, (short) index);
        } else {
            out.putInt(at, index);
        }
    }

    private static int getIndex(ByteBuffer in, int at, int width) {
        if (width == 1) {
            return in.get(at) & 0xff;
        } else if (width == 2) {
            return in.getShort(at) & 0xffff;
        }
        return in.getInt(at);
    }

    static byte[] nm(float[] data, int keep, int group) {
        int n = data.length;
        int bits = nmIndexBits(group);
        ByteBuffer out = buffer(nmBytes(n, keep, group));
        out.put((byte) keep).put((byte) group).put((byte) bits);
        int groups = n / group;
        int valueStart = 3;
        int indexStart = valueStart + 4 * groups * keep;
        byte[] array = out.array();
        long bitPos = 0;
        for (int g = 0; g < groups; g++) {
            int start = g * group;
            int stored = 0;
            // Nonzeros first, then padding with the first zero positions, so positions are distinct.
            for (int pass = 0; pass < 2 && stored < keep; pass++) {
                for (int i = 0; i < group && stored < keep; i++) {
                    boolean nonzero = stored(data[start + i]);
                    if (nonzero == (pass == 0)) {
                        float value = nonzero ? data[start + i] : 0f;
                        out.putInt(valueStart + 4 * (g * keep + stored), Float.floatToRawIntBits(value));
                        for (int b = 0; b < bits; b++, bitPos++) {
                            if (((i >>> b) & 1) != 0) {
                                array[indexStart + (int) (bitPos >>> 3)] |= (byte) (1 << (bitPos & 7));
                            }
                        }
                        stored++;
                    }
                }
            }
        }
        return array;
    }

    /**
     * Decodes a body into {@code n} floats, checking every length, count and index.
     *
     * @throws IllegalArgumentException describing the inconsistency
     */
    static float[] decode(Encoding encoding, byte[] body, long[] shape) {
        long size = 1;
        for (long dim : shape) {
            size = Math.multiplyExact(size, dim);
        }
        if (size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("tensor of " + size + " values is too large");
        }
        int n = (int) size;
        float[] data = new float[n];
        ByteBuffer in = ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN);
        switch (encoding) {
            case DENSE:
                expect(body.length, 4L * n, encoding);
                for (int i = 0; i < n; i++) {
                    data[i] = Float.intBitsToFloat(in.getInt(4 * i));
                }
                return data;
            case BITMASK: {
                if (body.length < 4) {
                    throw new IllegalArgumentException("bitmask body of " + body.length + " bytes is too short");
                }
                long nonzeros = in.getInt(0) & 0xffffffffL;
                expect(body.length, bitmaskBytes(n, nonzeros), encoding);
                int maskStart = 4;
                int valuePos = maskStart + (n + 7) / 8;
                long seen = 0;
                for (int i = 0; i < n; i++) {
                    if ((body[maskStart + (i >>> 3)] & (1 << (i & 7))) != 0) {
                        if (++seen > nonzeros) {
                            break;
                        }
                        data[i] = Float.intBitsToFloat(in.getInt(valuePos));
                        valuePos += 4;
                    }
                }
                if (seen != nonzeros) {
                    throw new IllegalArgumentException("bitmask holds " + seen + " set bits, header says " + nonzeros);
                }
                return data;
            }
            case CSR: {
                if (shape.length < 2 || body.length < 1) {
                    throw new IllegalArgumentException("CSR needs a matrix and a body");
                }
                int rows = (int) shape[0];
                int cols = n / rows;
                int width = body[0];
                if (width != csrIndexBytes(cols)) {
                    throw new IllegalArgumentException("CSR index width " + width + " for " + cols + " columns");
                }
                int pointerStart = 1;
                if (body.length < 1 + 4L * (rows + 1)) {
                    throw new IllegalArgumentException("CSR body of " + body.length + " bytes is too short");
                }
                long nonzeros = in.getInt(pointerStart + 4 * rows) & 0xffffffffL;
                expect(body.length, csrBytes(rows, cols, nonzeros), encoding);
                int indexStart = pointerStart + 4 * (rows + 1);
                int valueStart = indexStart + width * (int) nonzeros;
                int previous = 0;
                for (int r = 0; r < rows; r++) {
                    int from = in.getInt(pointerStart + 4 * r);
                    int to = in.getInt(pointerStart + 4 * (r + 1));
                    if (from != previous || to < from || to > nonzeros) {
                        throw new IllegalArgumentException("CSR row pointers are not increasing at row " + r);
                    }
                    previous = to;
                    for (int k = from; k < to; k++) {
                        int c = getIndex(in, indexStart + width * k, width);
                        if (c < 0 || c >= cols) {
                            throw new IllegalArgumentException("CSR column " + c + " outside [0," + cols + ")");
                        }
                        data[r * cols + c] = Float.intBitsToFloat(in.getInt(valueStart + 4 * k));
                    }
                }
                return data;
            }
            case NM: {
                if (body.length < 3) {
                    throw new IllegalArgumentException("N:M body of " + body.length + " bytes is too short");
                }
                int keep = body[0] & 0xff;
                int group = body[1] & 0xff;
                int bits = body[2] & 0xff;
                if (group < 2 || keep < 1 || keep > group || bits != nmIndexBits(group) || n % group != 0) {
                    throw new IllegalArgumentException("bad N:M parameters " + keep + ":" + group + " for " + n + " values");
                }
                expect(body.length, nmBytes(n, keep, group), encoding);
                int groups = n / group;
                int indexStart = 3 + 4 * groups * keep;
                long bitPos = 0;
                for (int g = 0; g < groups; g++) {
                    for (int s = 0; s < keep; s++) {
                        int position = 0;
                        for (int b = 0; b < bits; b++, bitPos++) {
                            if ((body[indexStart + (int) (bitPos >>> 3)] & (1 << (bitPos & 7))) != 0) {
                                position |= 1 << b;
                            }
                        }
                        if (position >= group) {
                            throw new IllegalArgumentException("N:M position " + position + " outside [0," + group + ")");
                        }
                        float value = Float.intBitsToFloat(in.getInt(3 + 4 * (g * keep + s)));
                        if (stored(value)) {
                            data[g * group + position] = value;
                        }
                    }
                }
                return data;
            }
            default:
                throw new IllegalArgumentException("unknown encoding " + encoding);
        }
    }

    private static void expect(long actual, long expected, Encoding encoding) {
        if (actual != expected) {
            throw new IllegalArgumentException(encoding + " body has " + actual + " bytes, expected " + expected);
        }
    }
}
