package org.prune4j.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes a file so that readers never see half of it: a notebook or a sweep script polling a run's
 * directory reads either the old file or the complete new one, and a process killed mid-write (even by
 * SIGKILL) leaves the old file in place. Result files, model files and checkpoints are written this way.
 */
public final class AtomicFiles {

    /** Writes the content of one file to a stream. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    private AtomicFiles() {}

    /**
     * Deletes the temporary files that a killed writer left in {@code dir} for these file names (a
     * SIGKILL skips the clean-up of {@link #write}); other files are left alone.
     *
     * @return how many were deleted
     */
    public static int deleteLeftovers(Path dir, java.util.Collection<String> names) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        int deleted = 0;
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                if (name.endsWith(".tmp") && names.stream().anyMatch(n -> name.startsWith("." + n))) {
                    Files.deleteIfExists(file);
                    deleted++;
                }
            }
        }
        return deleted;
    }

    /**
     * Writes {@code file} through a temporary file in the same folder, flushed to the disk, then moved over
     * {@code file} atomically; the temporary file is deleted if writing fails.
     *
     * @return {@code file}
     */
    public static Path write(Path file, Content content) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        // The temp file lives in the target directory: a move across file systems cannot be atomic.
        Path temp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
        try {
            readableByAll(temp);
            try (OutputStream out = Files.newOutputStream(temp)) {
                content.writeTo(out);
            }
            // On the disk before the rename: after a power cut the new name never points at missing data.
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
        return file;
    }

    /** Temp files are created owner-only (0600); a result file is for sharing, as a plain write would make it. */
    private static void readableByAll(Path temp) throws IOException {
        if (temp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(temp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        }
    }
}
