package org.prune4j.notebook;

import java.util.Objects;

/**
 * A piece of HTML to show as a cell's value, with a plain-text twin for kernels and logs that cannot
 * show HTML. Under the Prune4J kernel it renders as {@code text/html}; elsewhere its {@link #toString()}
 * (the text) is shown.
 *
 * @param html the HTML fragment
 * @param text the same content as plain text
 */
public record Html(String html, String text) {

    /** Checks that neither part is null. */
    public Html {
        Objects.requireNonNull(html, "html");
        Objects.requireNonNull(text, "text");
    }

    /** The plain-text twin, so that any kernel shows something readable. */
    @Override
    public String toString() {
        return text;
    }
}
