package org.prune4j.notebook.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A cell's output goes through another thread, and an interrupted cell keeps its interrupt. */
class OutputPumpTest {

    @Test
    void writesHappenInOrderOnThePumpThreadNotTheCallers() throws Exception {
        List<String> writers = Collections.synchronizedList(new ArrayList<>());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        OutputStream target = new OutputStream() {
            @Override
            public void write(int b) {
                writers.add(Thread.currentThread().getName());
                bytes.write(b);
            }
        };
        try (OutputPump pump = new OutputPump()) {
            OutputStream out = pump.handOff(target);
            out.write("epoch 1".getBytes(StandardCharsets.UTF_8));
            out.write('\n');
            out.flush();
        }
        assertArrayEquals("epoch 1\n".getBytes(StandardCharsets.UTF_8), bytes.toByteArray());
        assertTrue(writers.stream().allMatch(name -> name.equals("prune4j-output")), writers.toString());
        assertNotEquals("prune4j-output", Thread.currentThread().getName());
    }

    @Test
    void anInterruptedWriterStillWritesAndKeepsItsInterrupt() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputPump pump = new OutputPump()) {
            Thread.currentThread().interrupt();
            pump.handOff(bytes).write("after the interrupt".getBytes(StandardCharsets.UTF_8));
            assertTrue(Thread.interrupted(), "the interrupt is still pending for the training to see (and is cleared here)");
        }
        assertArrayEquals("after the interrupt".getBytes(StandardCharsets.UTF_8), bytes.toByteArray());
    }
}
