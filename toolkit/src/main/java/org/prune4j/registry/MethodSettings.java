package org.prune4j.registry;

/**
 * A method's settings by option name, as the command line or a recipe gives them ({@code interval},
 * {@code tau}, {@code budget}, ...): each lookup converts and checks its value, and a missing setting
 * gives the fallback. The command line's options implement it; {@link #none()} is every default.
 */
public interface MethodSettings {

    /** The setting's text, or {@code fallback} when it is not given. */
    String text(String name, String fallback);

    /** The setting as a number, or {@code fallback} when it is not given. */
    double number(String name, double fallback);

    /** The setting as a whole number in [{@code min}, {@code max}], or {@code fallback} when it is not given. */
    int integer(String name, int fallback, int min, int max);

    /** The setting as a long, or {@code fallback} when it is not given. */
    long longValue(String name, long fallback);

    /** Whether the setting is given. */
    default boolean has(String name) {
        return text(name, null) != null;
    }

    /** No settings: every method at its defaults. */
    static MethodSettings none() {
        return new MethodSettings() {
            @Override
            public String text(String name, String fallback) {
                return fallback;
            }

            @Override
            public double number(String name, double fallback) {
                return fallback;
            }

            @Override
            public int integer(String name, int fallback, int min, int max) {
                return fallback;
            }

            @Override
            public long longValue(String name, long fallback) {
                return fallback;
            }
        };
    }
}
