package org.prune4j.bench;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a training step's time goes, op by op, from a libtorch profiler trace (Chrome trace format, as both
 * DJL's {@code JniUtils.stopProfile} and PyTorch's {@code export_chrome_trace} write it): each op's self time
 * (its duration less the ops nested in it) and its calls, per step.
 *
 * <p>Both sides of {@code bench --suite vs-pytorch} run libtorch, so the same op names and the same nesting
 * rules hold on both, and the time outside every op (Java and JNI, Prune4J's own native kernels, or the Python
 * interpreter) is the profiled wall time less the time of the outermost ops.
 *
 * @param selfMicros   op name to self time in microseconds per step
 * @param callsPerStep op name to calls per step
 * @param opMicros     time inside outermost ops, microseconds per step
 */
public record OpProfile(Map<String, Double> selfMicros, Map<String, Double> callsPerStep, double opMicros) {

    /** One complete event of the trace. */
    private record Event(String name, long thread, double start, double duration) {}

    /**
     * Reads a trace of {@code steps} steps.
     *
     * @throws IOException if it cannot be read
     * @throws IllegalArgumentException if it is not a Chrome trace (a list of events, or an object with traceEvents)
     */
    public static OpProfile read(Path trace, int steps) throws IOException {
        JsonElement root;
        try (Reader reader = Files.newBufferedReader(trace, StandardCharsets.UTF_8)) {
            root = JsonParser.parseReader(reader);
        }
        JsonArray events = root.isJsonArray() ? root.getAsJsonArray()
                : root.isJsonObject() && root.getAsJsonObject().has("traceEvents")
                        ? root.getAsJsonObject().getAsJsonArray("traceEvents") : null;
        if (events == null) {
            throw new IllegalArgumentException(trace + " is not a Chrome trace: expected a list of events or"
                    + " {\"traceEvents\": [...]}");
        }
        List<Event> complete = new ArrayList<>();
        for (JsonElement element : events) {
            JsonObject event = element.getAsJsonObject();
            if (event.has("ph") && "X".equals(event.get("ph").getAsString()) && event.has("dur")) {
                complete.add(new Event(event.get("name").getAsString(), thread(event), event.get("ts").getAsDouble(),
                        event.get("dur").getAsDouble()));
            }
        }
        return of(complete, steps);
    }

    private static long thread(JsonObject event) {
        JsonElement tid = event.get("tid");
        return tid == null ? 0 : tid.getAsJsonPrimitive().isNumber() ? tid.getAsLong() : tid.getAsString().hashCode();
    }

    /** Self times from nesting: per thread, an op inside another's [start, start + duration) is its child. */
    private static OpProfile of(List<Event> events, int steps) {
        Map<String, Double> self = new HashMap<>();
        Map<String, Double> calls = new HashMap<>();
        double outermost = 0;
        events.sort(Comparator.comparingLong(Event::thread).thenComparingDouble(Event::start)
                .thenComparing(Comparator.comparingDouble(Event::duration).reversed()));
        Deque<Event> open = new ArrayDeque<>();
        long thread = Long.MIN_VALUE;
        for (Event event : events) {
            if (event.thread() != thread) {
                open.clear();
                thread = event.thread();
            }
            while (!open.isEmpty() && open.peek().start() + open.peek().duration() <= event.start()) {
                open.pop();
            }
            if (open.isEmpty()) {
                outermost += event.duration();
            } else {
                self.merge(open.peek().name(), -event.duration(), Double::sum);
            }
            self.merge(event.name(), event.duration(), Double::sum);
            calls.merge(event.name(), 1.0, Double::sum);
            open.push(event);
        }
        self.replaceAll((name, micros) -> micros / steps);
        calls.replaceAll((name, count) -> count / steps);
        return new OpProfile(Map.copyOf(self), Map.copyOf(calls), outermost / steps);
    }

    /** Self microseconds per step of an op, 0 where it never ran. */
    public double self(String op) {
        return selfMicros.getOrDefault(op, 0.0);
    }

    /** Calls per step of an op, 0 where it never ran. */
    public double calls(String op) {
        return callsPerStep.getOrDefault(op, 0.0);
    }
}
