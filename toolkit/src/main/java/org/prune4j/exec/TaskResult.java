package org.prune4j.exec;

import org.prune4j.io.AtomicFiles;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one {@link TrainingTask} left in its output folder, as bytes, plus where and how long it ran. The
 * driver writes these files itself ({@link #writeTo}), so a task that ran twice (a retry) or on a machine that
 * has since been lost cannot leave a half-written folder behind.
 *
 * @param name    the task's name
 * @param files   relative path ('/'-separated) to the file's bytes, sorted by path
 * @param pid     the id of the process the training ran in (for the in-process executor: this JVM's)
 * @param host    the host name of that process
 * @param seconds wall seconds the task took where it ran, from its start to its last file collected
 */
public record TaskResult(String name, Map<String, byte[]> files, long pid, String host, double seconds) {

    /** Validates and copies. */
    public TaskResult {
        Map<String, byte[]> copy = new TreeMap<>();
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            String path = file.getKey();
            if (path.isEmpty() || path.startsWith("/") || path.contains("\\") || ("/" + path + "/").contains("/../")) {
                throw new IllegalArgumentException("task '" + name + "': result file '" + path
                        + "' is not a relative path inside the output folder");
            }
            copy.put(path, file.getValue());
        }
        files = Collections.unmodifiableMap(copy);
    }

    /** The bytes of one result file; a clear error names the files there are when it is missing. */
    public byte[] file(String path) {
        byte[] bytes = files.get(path);
        if (bytes == null) {
            throw new IllegalStateException("task '" + name + "' left no " + path + ": it wrote " + files.keySet());
        }
        return bytes;
    }

    /** Writes every file into {@code dir} (created if missing), each atomically; returns {@code dir}. */
    public Path writeTo(Path dir) throws IOException {
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            AtomicFiles.write(dir.resolve(file.getKey()), out -> out.write(file.getValue()));
        }
        return dir;
    }

    /** "pid 1234 on host", for progress lines. */
    public String where() {
        return "pid " + pid + " on " + host;
    }
}
