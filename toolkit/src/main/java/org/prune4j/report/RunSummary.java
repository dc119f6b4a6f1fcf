package org.prune4j.report;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;

import org.prune4j.flops.FlopsReport;
import org.prune4j.recipe.Recipe;

import java.util.Locale;

/** A {@link Run}'s headline numbers: two lines of text for a log or a cell, and the JSON of summary.json. */
final class RunSummary {

    private RunSummary() {}

    /**
     * Two lines: method, model, data, sparsities and accuracy; then epochs, time, throughput, seed, device and, when
     * the training kernel ran, each layer's path through it.
     */
    static String text(Run run) {
        RunInfo info = run.info();
        String first = String.format(Locale.ROOT, "%s on %s/%s: sparsity %.3f target, %.3f measured; test accuracy %.4f",
                info.method(), info.model(), info.dataset(), info.targetSparsity(), run.measuredSparsity(),
                run.testAccuracy());
        String epochs = run.partial() ? run.epochs() + " of " + info.epochs() + " epochs (stopped early)"
                : run.epochs() + " epochs";
        String second = String.format(Locale.ROOT, "%s in %.1f s (%.1f steps/s), seed %d, %s",
                epochs, run.trainSeconds(), run.stepsPerSecond(), info.seed(), info.device())
                + run.kernelPaths().map(paths -> ", " + paths.describe()).orElse("");
        return first + "\n" + second;
    }

    /**
     * The headline numbers as a pretty-printed JSON object with the fields model, dataset, method,
     * targetSparsity, measuredSparsity, testAccuracy, epochs (finished epochs), trainSeconds,
     * stepsPerSecond, seed, device, partial, and the FLOPs fields inferenceFlopsDense, inferenceFlopsSparse
     * (per example), trainingFlops and trainingFlopsDense (whole run; null when not recorded), trainingKernel (the
     * crossover density and each layer's path through the training kernel, {@link KernelPaths}; null when every step
     * went through DJL's ops), and recipe (the
     * {@link Recipe} it was trained from, null when not known). A number that is undefined (NaN, such as the test
     * accuracy of a run without a finished epoch) is written as {@code null}, since JSON has no NaN.
     */
    static String json(Run run) {
        RunInfo info = run.info();
        FlopsReport flops = run.flops().orElse(null);
        JsonObject json = new JsonObject();
        json.addProperty("model", info.model());
        json.addProperty("dataset", info.dataset());
        json.addProperty("method", info.method());
        json.add("targetSparsity", number(info.targetSparsity()));
        json.add("measuredSparsity", number(run.measuredSparsity()));
        json.add("testAccuracy", number(run.testAccuracy()));
        json.addProperty("epochs", run.epochs());
        json.add("trainSeconds", number(run.trainSeconds()));
        json.add("stepsPerSecond", number(run.stepsPerSecond()));
        json.addProperty("seed", info.seed());
        json.addProperty("device", info.device());
        json.addProperty("partial", run.partial());
        // FLOPs (2 x multiply-accumulates of Linear/conv weights): inference per example, training for the run.
        json.add("inferenceFlopsDense", flops == null ? JsonNull.INSTANCE : number(flops.inferenceDense()));
        json.add("inferenceFlopsSparse", flops == null ? JsonNull.INSTANCE : number(flops.inferenceSparse()));
        json.add("trainingFlops", flops == null ? JsonNull.INSTANCE : number(flops.training()));
        json.add("trainingFlopsDense", flops == null ? JsonNull.INSTANCE : number(flops.trainingDense()));
        // Which path each layer took through the training kernel (null: every step through DJL's ops).
        json.add("trainingKernel", run.kernelPaths().<JsonElement>map(RunSummary::kernelJson).orElse(JsonNull.INSTANCE));
        // The recipe, when known, last: the settings to train this run again (train --recipe reads this object).
        json.add("recipe", run.recipe().<JsonElement>map(r -> JsonParser.parseString(r.toJson())).orElse(JsonNull.INSTANCE));
        return new GsonBuilder().setPrettyPrinting().serializeNulls().create().toJson(json);
    }

    private static JsonElement kernelJson(KernelPaths paths) {
        JsonObject json = new JsonObject();
        json.addProperty("crossoverDensity", paths.crossoverDensity());
        JsonObject layers = new JsonObject();
        paths.layers().forEach(layers::addProperty);
        json.add("layers", layers);
        return json;
    }

    private static JsonElement number(double value) {
        return Double.isFinite(value) ? new JsonPrimitive(value) : JsonNull.INSTANCE;
    }
}
