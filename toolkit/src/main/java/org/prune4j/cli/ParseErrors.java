package org.prune4j.cli;

import org.apache.commons.text.similarity.LevenshteinDistance;

import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

import java.util.Optional;
import java.util.TreeSet;

/**
 * picocli's parse errors as the one-line messages of the bad-input rule: the value, what would be accepted, and
 * for a typo the name that was probably meant.
 */
final class ParseErrors {

    private ParseErrors() {}

    static UsageException of(ParameterException e, CommandSpec spec) {
        if (e instanceof UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()) {
            return unmatched(unmatched.getUnmatched().get(0), spec);
        }
        if (e instanceof MissingParameterException missing && !missing.getMissing().isEmpty()) {
            ArgSpec arg = missing.getMissing().get(0);
            if (arg instanceof OptionSpec option) {
                return new UsageException("option " + option.longestName() + " needs a value");
            }
        }
        String message = e.getMessage();
        // picocli's "Expected parameter for option '--x' but found '--y'" is a missing value as well.
        if (message != null && message.startsWith("Expected parameter for option '")) {
            String name = message.substring("Expected parameter for option '".length(), message.indexOf('\'',
                    "Expected parameter for option '".length()));
            return new UsageException("option " + name + " needs a value");
        }
        return new UsageException(message == null ? "bad command line" : message.lines().findFirst().orElse(message));
    }

    private static UsageException unmatched(String argument, CommandSpec spec) {
        if (!argument.startsWith("--")) {
            return new UsageException("unexpected argument '" + argument + "': options look like --name value");
        }
        String name = argument.contains("=") ? argument.substring(0, argument.indexOf('=')) : argument;
        TreeSet<String> accepted = new TreeSet<>();
        for (OptionSpec option : spec.options()) {
            if (!option.hidden() && !option.usageHelp()) {
                accepted.add(option.longestName());
            }
        }
        Optional<String> meant = close(name, accepted);
        if (meant.isPresent()) {
            return new UsageException("unknown option " + name + ": did you mean " + meant.get() + "?");
        }
        return new UsageException("unknown option " + name + ": expected one of " + String.join(", ", accepted));
    }

    /** At most this many edits from a known name is a typo worth naming instead of the whole list. */
    private static final int TYPO_EDITS = 2;

    /**
     * The likely meant name: the candidate fewest edits away (dashes aside), if it is within {@value #TYPO_EDITS};
     * the first of equally close ones. (picocli's own suggestions keep one candidate per similarity score, so a
     * close name can be dropped for a far one with the same score.)
     */
    static Optional<String> close(String typed, java.util.Collection<String> candidates) {
        String stem = typed.replaceFirst("^-+", "");
        if (stem.length() < 3) {
            return Optional.empty();
        }
        LevenshteinDistance distance = new LevenshteinDistance(TYPO_EDITS);
        String best = null;
        int fewest = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int edits = distance.apply(stem, candidate.replaceFirst("^-+", ""));
            if (edits >= 0 && edits < fewest) {
                best = candidate;
                fewest = edits;
            }
        }
        return Optional.ofNullable(best);
    }
}
