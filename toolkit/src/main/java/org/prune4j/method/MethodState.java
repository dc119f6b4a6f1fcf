package org.prune4j.method;

import ai.djl.ndarray.NDArray;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a {@link Resumable} method saves in a checkpoint: named numbers, flags, number arrays and tensors.
 * Numbers go to the checkpoint's JSON header, tensors to its tensor section (DJL's NDList encoding);
 * doubles round-trip exactly.
 */
public final class MethodState {

    private final Map<String, JsonElement> values = new LinkedHashMap<>();
    private final Map<String, NDArray> tensors = new LinkedHashMap<>();

    /** An empty state, to be filled by {@link Resumable#saveState}. */
    public MethodState() {}

    /** A long. */
    public MethodState put(String key, long value) {
        values.put(key, new JsonPrimitive(value));
        return this;
    }

    /** A double (NaN and infinities are stored as text). */
    public MethodState put(String key, double value) {
        values.put(key, Double.isFinite(value) ? new JsonPrimitive(value) : new JsonPrimitive(Double.toString(value)));
        return this;
    }

    /** A flag. */
    public MethodState put(String key, boolean value) {
        values.put(key, new JsonPrimitive(value));
        return this;
    }

    /** An array of longs, or null. */
    public MethodState put(String key, long[] array) {
        if (array == null) {
            values.remove(key);
            return this;
        }
        JsonArray json = new JsonArray();
        for (long v : array) {
            json.add(v);
        }
        values.put(key, json);
        return this;
    }

    /** Lists of ints (such as partitions of layer indices). */
    public MethodState putLists(String key, List<List<Integer>> lists) {
        JsonArray json = new JsonArray();
        for (List<Integer> list : lists) {
            JsonArray inner = new JsonArray();
            list.forEach(inner::add);
            json.add(inner);
        }
        values.put(key, json);
        return this;
    }

    /**
     * A tensor; read when the checkpoint is written (before the next step), so the method may keep using
     * it. Null removes the entry.
     */
    public MethodState putTensor(String key, NDArray tensor) {
        if (tensor == null) {
            tensors.remove(key);
        } else {
            tensors.put(key, tensor);
        }
        return this;
    }

    /** Whether a number, flag or array is stored under {@code key}. */
    public boolean has(String key) {
        return values.containsKey(key);
    }

    /** A stored long. */
    public long getLong(String key) {
        return require(key).getAsLong();
    }

    /** A stored double. */
    public double getDouble(String key) {
        JsonPrimitive value = require(key).getAsJsonPrimitive();
        return value.isString() ? Double.parseDouble(value.getAsString()) : value.getAsDouble();
    }

    /** A stored flag. */
    public boolean getBoolean(String key) {
        return require(key).getAsBoolean();
    }

    /** A stored array of longs, or null when absent. */
    public long[] getLongs(String key) {
        JsonElement json = values.get(key);
        if (json == null) {
            return null;
        }
        JsonArray array = json.getAsJsonArray();
        long[] result = new long[array.size()];
        for (int i = 0; i < result.length; i++) {
            result[i] = array.get(i).getAsLong();
        }
        return result;
    }

    /** Stored lists of ints. */
    public List<List<Integer>> getLists(String key) {
        List<List<Integer>> lists = new ArrayList<>();
        for (JsonElement inner : require(key).getAsJsonArray()) {
            List<Integer> list = new ArrayList<>();
            inner.getAsJsonArray().forEach(v -> list.add(v.getAsInt()));
            lists.add(List.copyOf(list));
        }
        return List.copyOf(lists);
    }

    /** A stored tensor, or null when absent; freed after {@link Resumable#restoreState} returns. */
    public NDArray tensor(String key) {
        return tensors.get(key);
    }

    /**
     * A copy of a stored tensor owned by {@code owner} (outside any scope), for a method to keep after
     * {@link Resumable#restoreState} returns.
     *
     * @throws IllegalArgumentException if no tensor is stored under {@code key}
     */
    public NDArray copyOfTensor(String key, ai.djl.ndarray.NDManager owner) {
        NDArray stored = tensors.get(key);
        if (stored == null) {
            throw new IllegalArgumentException("the checkpoint's method state has no tensor '" + key + "': expected one of "
                    + tensors.keySet());
        }
        NDArray copy = owner.zeros(stored.getShape(), stored.getDataType());
        // An in-place device copy: bit-exact, and never an alias of the checkpoint's buffer.
        copy.set(new ai.djl.ndarray.index.NDIndex("..."), stored.toDevice(copy.getDevice(), false));
        ai.djl.ndarray.NDScope.unregister(copy);
        return copy;
    }

    /** The numbers, flags and arrays as one JSON object, for the checkpoint header. */
    public JsonObject toJson() {
        JsonObject json = new JsonObject();
        values.forEach(json::add);
        return json;
    }

    /** The tensors by name, in the order they were put. */
    public Map<String, NDArray> tensors() {
        return Collections.unmodifiableMap(tensors);
    }

    /** A state read back from a checkpoint: its JSON header part and its tensors. */
    public static MethodState of(JsonObject json, Map<String, NDArray> tensors) {
        MethodState state = new MethodState();
        json.entrySet().forEach(e -> state.values.put(e.getKey(), e.getValue()));
        state.tensors.putAll(tensors);
        return state;
    }

    private JsonElement require(String key) {
        JsonElement value = values.get(key);
        if (value == null) {
            throw new IllegalArgumentException("the checkpoint's method state has no '" + key + "': expected one of "
                    + values.keySet());
        }
        return value;
    }
}
