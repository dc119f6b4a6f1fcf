package org.prune4j.cli;

/** A bad command line: the message is one line naming the bad value; the launcher exits with code 2. */
final class UsageException extends RuntimeException {
    UsageException(String message) {
        super(message);
    }
}
