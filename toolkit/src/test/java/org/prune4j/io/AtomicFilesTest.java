package org.prune4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

class AtomicFilesTest {

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aWriteReplacesTheFileWholeAndLeavesNoTemporaryFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sub").resolve("summary.json");
        AtomicFiles.write(file, out -> out.write("old".getBytes(StandardCharsets.UTF_8)));
        AtomicFiles.write(file, out -> out.write("new".getBytes(StandardCharsets.UTF_8)));
        assertEquals("new", Files.readString(file));
        assertEquals(List.of("summary.json"), names(file.getParent()));
    }

    @Test
    void aWriteThatFailsHalfwayLeavesTheOldFileAndNoTemporaryFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("history.csv");
        AtomicFiles.write(file, out -> out.write("epoch,loss\n1,0.5\n".getBytes(StandardCharsets.UTF_8)));
        IOException failure = assertThrows(IOException.class, () -> AtomicFiles.write(file, out -> {
            out.write("epoch,loss\n1,0.5\n2,".getBytes(StandardCharsets.UTF_8));
            throw new IOException("disk full");
        }));
        assertEquals("disk full", failure.getMessage());
        assertEquals("epoch,loss\n1,0.5\n", Files.readString(file));
        assertEquals(List.of("history.csv"), names(dir));
    }

    @Test
    void leftoversOfAKilledWriterAreDeletedOnlyForTheNamedFiles(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve(".history.csv123.tmp"), "torn");
        Files.writeString(dir.resolve(".other.csv9.tmp"), "someone else's");
        Files.writeString(dir.resolve("history.csv"), "kept");
        assertEquals(1, AtomicFiles.deleteLeftovers(dir, List.of("history.csv", "summary.json")));
        assertEquals(List.of(".other.csv9.tmp", "history.csv"), names(dir));
        assertEquals(0, AtomicFiles.deleteLeftovers(dir.resolve("missing"), List.of("history.csv")));
    }
}
