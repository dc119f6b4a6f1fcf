package org.prune4j.exec;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.prune4j.recipe.Recipe;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Tasks and results as plain bytes for executors that ship them between machines: a zip holding a small JSON
 * header ({@code task.json} or {@code result.json}) and the files themselves ({@code in/<option>},
 * {@code out/<path>}) in the toolkit's own formats. Nothing is Java-serialized, so a driver and an executor
 * only need the same toolkit version, not the same classes' serial forms.
 */
public final class TaskCodec {

    private static final String TASK = "task.json";
    private static final String RESULT = "result.json";

    private TaskCodec() {}

    /** The task as a zip: task.json (name, command, recipe, options) and in/&lt;option&gt; per input. */
    public static byte[] encode(TrainingTask task) {
        JsonObject header = new JsonObject();
        header.addProperty("name", task.name());
        header.addProperty("command", task.command());
        header.add("recipe", JsonParser.parseString(task.recipe().toJson()));
        JsonObject options = new JsonObject();
        task.options().forEach(options::addProperty);
        header.add("options", options);
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put(TASK, header.toString().getBytes(StandardCharsets.UTF_8));
        task.inputs().forEach((option, bytes) -> entries.put("in/" + option, bytes));
        return zip(entries);
    }

    /** The task {@link #encode} wrote. */
    public static TrainingTask decodeTask(byte[] bytes) {
        Map<String, byte[]> entries = unzip(bytes);
        JsonObject header = header(entries, TASK);
        Map<String, String> options = new LinkedHashMap<>();
        header.getAsJsonObject("options").entrySet().forEach(e -> options.put(e.getKey(), e.getValue().getAsString()));
        Map<String, byte[]> inputs = new LinkedHashMap<>();
        entries.forEach((name, content) -> {
            if (name.startsWith("in/")) {
                inputs.put(name.substring(3), content);
            }
        });
        return new TrainingTask(header.get("name").getAsString(), header.get("command").getAsString(),
                Recipe.fromJson(header.get("recipe").toString()), options, inputs);
    }

    /** The result as a zip: result.json (name, pid, host, seconds) and out/&lt;path&gt; per file. */
    public static byte[] encode(TaskResult result) {
        JsonObject header = new JsonObject();
        header.addProperty("name", result.name());
        header.addProperty("pid", result.pid());
        header.addProperty("host", result.host());
        header.addProperty("seconds", result.seconds());
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put(RESULT, header.toString().getBytes(StandardCharsets.UTF_8));
        result.files().forEach((path, bytes) -> entries.put("out/" + path, bytes));
        return zip(entries);
    }

    /** The result {@link #encode(TaskResult)} wrote. */
    public static TaskResult decodeResult(byte[] bytes) {
        Map<String, byte[]> entries = unzip(bytes);
        JsonObject header = header(entries, RESULT);
        Map<String, byte[]> files = new LinkedHashMap<>();
        entries.forEach((name, content) -> {
            if (name.startsWith("out/")) {
                files.put(name.substring(4), content);
            }
        });
        return new TaskResult(header.get("name").getAsString(), files, header.get("pid").getAsLong(),
                header.get("host").getAsString(), header.get("seconds").getAsDouble());
    }

    private static JsonObject header(Map<String, byte[]> entries, String name) {
        byte[] header = entries.get(name);
        if (header == null) {
            throw new IllegalArgumentException("not a Prune4J task zip: no " + name + " among " + entries.keySet());
        }
        return JsonParser.parseString(new String(header, StandardCharsets.UTF_8)).getAsJsonObject();
    }

    private static byte[] zip(Map<String, byte[]> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(entry.getKey()));
                zip.write(entry.getValue());
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static Map<String, byte[]> unzip(byte[] bytes) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(bytes))) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                entries.put(entry.getName(), zip.readAllBytes());
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("not a Prune4J task zip: " + e.getMessage(), e);
        }
        return entries;
    }
}
