package org.prune4j.registry;

import java.util.HashMap;
import java.util.Map;

/** Method settings from a map, as the command line's options give them (name to text), for tests. */
public final class MapSettings implements MethodSettings {

    private final Map<String, String> values;

    public MapSettings(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    /** Settings from {@code "name=value name=value"}; a blank text gives none. */
    public static MapSettings parse(String pairs) {
        Map<String, String> values = new HashMap<>();
        for (String pair : pairs.split(" ")) {
            if (!pair.isBlank()) {
                String[] kv = pair.split("=", 2);
                values.put(kv[0], kv[1]);
            }
        }
        return new MapSettings(values);
    }

    @Override
    public String text(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    @Override
    public double number(String name, double fallback) {
        return values.containsKey(name) ? Double.parseDouble(values.get(name)) : fallback;
    }

    @Override
    public int integer(String name, int fallback, int min, int max) {
        return values.containsKey(name) ? Integer.parseInt(values.get(name)) : fallback;
    }

    @Override
    public long longValue(String name, long fallback) {
        return values.containsKey(name) ? Long.parseLong(values.get(name)) : fallback;
    }
}
