package org.prune4j.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

class TaskPoolTest {

    private static List<TrainingTask> tasks(int n) {
        List<TrainingTask> tasks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            tasks.add(TrainingTask.train("t" + i, TrainingTaskTest.recipe(i), Map.of()));
        }
        return tasks;
    }

    /** A fake remote task: sleeps longer for earlier tasks, so they complete out of order. */
    private static TaskResult slowFirst(TrainingTask task, AtomicInteger running, AtomicInteger mostAtOnce) {
        int now = running.incrementAndGet();
        mostAtOnce.accumulateAndGet(now, Math::max);
        try {
            Thread.sleep(50L * (6 - Integer.parseInt(task.name().substring(1))));
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        } finally {
            running.decrementAndGet();
        }
        return new TaskResult(task.name(), Map.of(), 1, "h", 0);
    }

    @Test
    void resultsComeInTaskOrderAtMostParallelAtOnceAndCallbacksOneAtATime() {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        AtomicInteger inCallback = new AtomicInteger();
        List<String> heard = Collections.synchronizedList(new ArrayList<>());
        List<TaskResult> results = TaskPool.run(tasks(6), 3, task -> slowFirst(task, running, mostAtOnce), result -> {
            assertEquals(1, inCallback.incrementAndGet(), "two callbacks at once");
            heard.add(result.name());
            inCallback.decrementAndGet();
        });

        assertEquals(List.of("t0", "t1", "t2", "t3", "t4", "t5"), results.stream().map(TaskResult::name).toList());
        assertEquals(3, mostAtOnce.get());
        assertEquals(6, heard.size());
        assertTrue(heard.indexOf("t2") < heard.indexOf("t0"), "callbacks come in completion order: " + heard);
    }

    @Test
    void aFailureIsReportedAfterTheOtherTasksFinished() {
        List<String> heard = Collections.synchronizedList(new ArrayList<>());
        TaskFailedException failure = assertThrows(TaskFailedException.class, () -> TaskPool.run(tasks(4), 2, task -> {
            if (task.name().equals("t1")) {
                throw new TaskFailedException("t1", "exit status 1", null);
            }
            return new TaskResult(task.name(), Map.of(), 1, "h", 0);
        }, result -> heard.add(result.name())));

        assertEquals("t1", failure.task());
        assertEquals("task 't1' failed: exit status 1", failure.getMessage());
        assertEquals(List.of("t0", "t2", "t3"), heard.stream().sorted().toList());
        assertThrows(IllegalArgumentException.class, () -> TaskPool.run(tasks(1), 0, t -> null, r -> {}));
    }
}
