package org.prune4j.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Child JVMs get the parent's heap and collector options, and nothing else of its command line. */
class JvmOptionsTest {

    @Test
    void keepsHeapAndCollectorOptionsInTheirOrder() {
        List<String> arguments = List.of("-XX:+UseSerialGC", "-Dai.djl.offline=true", "-Xms64m", "-Xmn24m",
                "--add-opens=java.base/java.nio=ALL-UNNAMED", "-Xss2m", "-Xmx1g", "-javaagent:/x.jar",
                "-XX:MaxRAMPercentage=50");
        assertEquals(List.of("-XX:+UseSerialGC", "-Xms64m", "-Xmn24m", "-Xss2m", "-Xmx1g", "-XX:MaxRAMPercentage=50"),
                JvmOptions.memory(arguments));
    }

    @Test
    void aSweepTaskStartsWithThem() {
        List<String> command = ProcessExecutor.command(List.of("--epochs", "1"));
        assertEquals(JvmOptions.memory(), command.subList(1, 1 + JvmOptions.memory().size()));
        assertEquals(List.of("--epochs", "1"), command.subList(command.size() - 2, command.size()));
    }
}
