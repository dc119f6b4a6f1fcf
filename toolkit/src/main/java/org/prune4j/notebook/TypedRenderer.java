package org.prune4j.notebook;

import java.util.Locale;
import java.util.function.Function;
import org.rapaio.jupyter.kernel.display.DisplayData;
import org.rapaio.jupyter.kernel.display.DisplayRenderer;

/**
 * Renders values of one type to one MIME type for the rapaio kernel. The kernel asks a renderer whose
 * type matches the cell value; the MIME type it passes is null unless the user asked for one.
 */
final class TypedRenderer<T> implements DisplayRenderer {

    private final Class<T> type;
    private final String mimeType;
    private final Function<T, DisplayData> render;

    private TypedRenderer(Class<T> type, String mimeType, Function<T, DisplayData> render) {
        this.type = type;
        this.mimeType = mimeType;
        this.render = render;
    }

    /** Values of {@code type} as text/html, with their plain-text twin. */
    static <T> TypedRenderer<T> html(Class<T> type, Function<T, Html> toHtml) {
        return new TypedRenderer<>(type, "text/html", value -> {
            Html html = toHtml.apply(value);
            DisplayData data = DisplayData.withType("text/html", html.html());
            data.putText(html.text());
            return data;
        });
    }

    /** Values of {@code type} as image/png. */
    static <T> TypedRenderer<T> png(Class<T> type, Function<T, String> toBase64Png, Function<T, String> toText) {
        return new TypedRenderer<>(type, "image/png", value -> {
            DisplayData data = DisplayData.withType("image/png", toBase64Png.apply(value));
            data.putText(toText.apply(value));
            return data;
        });
    }

    @Override
    public Class<?> rendererClass() {
        return type;
    }

    @Override
    public boolean canRender(String mime) {
        if (mime == null || mime.isBlank()) {
            return true;
        }
        String asked = mime.strip().toLowerCase(Locale.ROOT);
        return asked.equals(mimeType) || asked.equals(mimeType.substring(mimeType.indexOf('/') + 1));
    }

    @Override
    public DisplayData render(String mime, Object value) {
        return render.apply(type.cast(value));
    }
}
