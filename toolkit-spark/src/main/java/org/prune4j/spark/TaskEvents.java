package org.prune4j.spark;

import org.apache.spark.TaskEndReason;
import org.apache.spark.TaskFailedReason;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorAdded;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Tells the user, by task name, where each training task starts and which attempts failed (a lost executor, an
 * exception) and whether Spark runs them again; counts the failed attempts. Spark calls it on its listener
 * thread.
 */
final class TaskEvents extends SparkListener {

    /** The job description {@link SparkExecutor} gives each task's job: the task's name. */
    static final String DESCRIPTION = "spark.job.description";

    private final Consumer<String> log;
    private final int maxFailures;
    private final Map<Integer, String> stageNames = new ConcurrentHashMap<>();

    TaskEvents(Consumer<String> log, int maxFailures) {
        this.log = log;
        this.maxFailures = maxFailures;
    }

    @Override
    public void onStageSubmitted(SparkListenerStageSubmitted stage) {
        String name = stage.properties() == null ? null : stage.properties().getProperty(DESCRIPTION);
        stageNames.put(stage.stageInfo().stageId(), name == null ? "stage " + stage.stageInfo().stageId() : name);
    }

    @Override
    public void onTaskStart(SparkListenerTaskStart start) {
        log.accept("spark: " + name(start.stageId()) + " started on executor " + start.taskInfo().executorId() + " ("
                + start.taskInfo().host() + ")" + (start.taskInfo().attemptNumber() > 0
                ? ", attempt " + (start.taskInfo().attemptNumber() + 1) : ""));
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
        if (end.taskInfo().successful()) {
            return;
        }
        int attempt = end.taskInfo().attemptNumber() + 1;
        log.accept("spark: " + name(end.stageId()) + " failed on executor " + end.taskInfo().executorId() + " (attempt "
                + attempt + " of " + maxFailures + "): " + reason(end.reason())
                + (attempt < maxFailures ? "; Spark runs it again" : "; no attempts left"));
    }

    @Override
    public void onExecutorAdded(SparkListenerExecutorAdded added) {
        log.accept("spark: executor " + added.executorId() + " joined on " + added.executorInfo().executorHost());
    }

    @Override
    public void onExecutorRemoved(SparkListenerExecutorRemoved removed) {
        log.accept("spark: executor " + removed.executorId() + " left: " + firstLine(removed.reason()));
    }

    private String name(int stageId) {
        return "task '" + stageNames.getOrDefault(stageId, "stage " + stageId) + "'";
    }

    private static String reason(TaskEndReason reason) {
        return firstLine(reason instanceof TaskFailedReason failed ? failed.toErrorString() : String.valueOf(reason));
    }

    private static String firstLine(String text) {
        String line = text == null ? "" : text.strip().lines().findFirst().orElse("");
        return line.length() <= 300 ? line : line.substring(0, 300) + "...";
    }
}
