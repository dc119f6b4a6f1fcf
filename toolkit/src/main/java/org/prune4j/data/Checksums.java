package org.prune4j.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The official MD5s in {@code datasets/checksums.md5} (md5sum format, paths relative to
 * {@code datasets/}), the same file that {@code datasets/fetch} checks against.
 *
 * <p>Hashing the 47 MB MNIST training images costs about 0.1 s, which is noticeable when a notebook
 * reloads data in every cell. A successful check is therefore remembered for the JVM's lifetime,
 * keyed by the file's absolute path, inode, size and modification time: re-fetching or editing the file
 * changes the key and forces a new check.
 */
final class Checksums {
    private static final Set<String> VERIFIED = ConcurrentHashMap.newKeySet();

    private final Map<String, String> md5ByPath;

    private Checksums(Map<String, String> md5ByPath) {
        this.md5ByPath = md5ByPath;
    }

    /** Reads {@code checksums.md5}; the caller has checked that it exists. */
    static Checksums read(Path checksumsFile) {
        Map<String, String> md5ByPath = new HashMap<>();
        try {
            for (String line : Files.readAllLines(checksumsFile)) {
                String trimmed = line.strip();
                if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                    continue;
                }
                String[] parts = trimmed.split("\\s+\\*?", 2);
                if (parts.length == 2) {
                    md5ByPath.put(parts[1], parts[0].toLowerCase());
                }
            }
        } catch (IOException e) {
            throw new DatasetException("cannot read " + checksumsFile + ": " + e, e);
        }
        return new Checksums(md5ByPath);
    }

    /** The expected MD5 of a path relative to {@code datasets/}, e.g. {@code mnist/t10k-labels-idx1-ubyte}. */
    Optional<String> expected(String relativePath) {
        return Optional.ofNullable(md5ByPath.get(relativePath));
    }

    /** Whether the file version identified by {@code key} already matched its MD5 in this JVM. */
    static boolean alreadyVerified(String key) {
        return VERIFIED.contains(key);
    }

    static void rememberVerified(String key) {
        VERIFIED.add(key);
    }

    static String md5(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide MD5", e);
        }
    }

    /**
     * Identifies one version of a file. Taken before the file is read, so that a file replaced while
     * it is being read is checked again next time rather than trusted.
     */
    static String key(Path file, String md5) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            // Full-precision mtime and the inode (fileKey, changed by the fetch script's mv) so that a
            // file rewritten within the same millisecond is not mistaken for the verified one.
            return file.toAbsolutePath().normalize() + "|" + attributes.fileKey() + "|" + attributes.size() + "|"
                    + attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS) + "|" + md5;
        } catch (IOException e) {
            // An unreadable file is never "already verified"; reading it will report the error.
            return "unreadable|" + file.toAbsolutePath() + "|" + System.nanoTime();
        }
    }
}
