package org.prune4j.exec;

import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * The heap and garbage-collector options this JVM was started with, for the child JVMs the toolkit starts
 * (sweep tasks, benchmark runs): a child then holds its memory as the parent's command line asked, whether the
 * options came from the launcher's defaults or from {@code PRUNE4J_JAVA_OPTS}.
 */
public final class JvmOptions {

    private JvmOptions() {}

    /** The {@code -XX:}, {@code -Xm*} and {@code -Xs*} options of this JVM's command line, in their order. */
    public static List<String> memory() {
        return memory(ManagementFactory.getRuntimeMXBean().getInputArguments());
    }

    /** The memory options among {@code arguments} (a JVM's input arguments), in their order. */
    static List<String> memory(List<String> arguments) {
        return arguments.stream()
                .filter(option -> option.startsWith("-XX:") || option.startsWith("-Xm") || option.startsWith("-Xs"))
                .toList();
    }
}
