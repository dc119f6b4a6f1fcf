package org.prune4j.notebook;

/**
 * A notebook's claim about its own results, checked where it is made. A notebook that teaches "GMP keeps more
 * accuracy than a static mask at 90%" ends with {@code Lesson.expect(...)} on the numbers it just produced: when
 * the result agrees, the cell prints a {@code lesson:} line (which {@code notebooks/execute} reports); when it
 * contradicts the text, the cell fails, so a notebook can never teach what its own run disproves.
 */
public final class Lesson {

    private Lesson() {
    }

    /**
     * Prints {@code lesson: <claim> (<evidence>)} when the claim holds; throws otherwise.
     *
     * @param claim what the notebook's text says, e.g. "GMP at or above static at 90% sparsity"
     * @param holds whether this run's numbers show it
     * @param evidence the numbers, e.g. "0.962 vs 0.951"
     * @throws IllegalStateException when the run contradicts the claim
     */
    public static void expect(String claim, boolean holds, String evidence) {
        if (!holds) {
            throw new IllegalStateException("this run contradicts the notebook's lesson: " + claim + " (" + evidence + ")");
        }
        System.out.println("lesson: " + claim + " (" + evidence + ")");
    }
}
