package org.prune4j.registry;

import org.prune4j.gap.CGap;
import org.prune4j.gap.GapBuilder;
import org.prune4j.gap.Partitioning;
import org.prune4j.mask.Pattern;
import org.prune4j.method.AllocationBuilder;
import org.prune4j.method.Budget;
import org.prune4j.method.DynamicBuilder;
import org.prune4j.method.DynamicSparse;
import org.prune4j.method.GraNet;
import org.prune4j.method.Gmp;
import org.prune4j.method.LotteryTicket;
import org.prune4j.method.Methods;
import org.prune4j.method.Pdp;
import org.prune4j.method.Snip;
import org.prune4j.method.SparsityMethod;
import org.prune4j.method.StaticMask;

import java.util.List;
import java.util.Optional;

/**
 * Every method by the name that the command line, recipes, sweeps and notebooks use: one list, so a new
 * method is added here once. Each {@link MethodEntry} says which settings it reads and builds itself from
 * them; defaults live in the methods' builders, not here (a setting not given is not set).
 *
 * <p>Why a package of its own: the catalogue names every method, C-GaP ({@code gap}) included, so it sits
 * above {@code method} and {@code gap}; the methods themselves name no catalogue.
 */
public final class MethodRegistry {

    private MethodRegistry() {}

    private static final List<String> DYNAMIC = List.of("interval", "drop-rate", "update-until", "budget");
    private static final List<String> GAP = List.of("partitions", "step-epochs", "rounds", "finetune-epochs",
            "partitioning", "budget");

    /**
     * Every setting a method reads, in the order help texts list them: the one source of their option names
     * and help lines for the command line, recipes and {@code help methods}.
     */
    public static final List<MethodSetting> SETTINGS = List.of(
            new MethodSetting("budget", "B", "uniform|er|erk|global layer budget (default: global for gmp and pdp,"
                    + " uniform for gmp-layerwise, erk for static)"),
            new MethodSetting("interval", "N", "steps between mask updates, dT, for gmp|granet|granet-st|rigl|set"
                    + " (default 100)"),
            new MethodSetting("start-epoch", "E", "(fractional) epoch gmp|granet starts pruning at (default 0)"),
            new MethodSetting("end-epoch", "E", "(fractional) epoch gmp|granet reaches the final sparsity"
                    + " (default 3/4 of the epochs, 1/2 for granet)"),
            new MethodSetting("partitions", "K", "cgap/pgap: partitions of the maskable layers (default 3)"),
            new MethodSetting("step-epochs", "T", "cgap/pgap: epochs one partition stays grown (dense) (default 1)"),
            new MethodSetting("rounds", "R", "cgap/pgap: rounds of K steps (default 1); lth: rounds of"
                    + " train-prune-rewind (default 3); in a sweep per method: cgap=1,pgap=4"),
            new MethodSetting("finetune-epochs", "F", "cgap/pgap: final epochs with every layer at target, mask fixed"
                    + " (default 0)"),
            new MethodSetting("partitioning", "P", "cgap/pgap: contiguous|balanced|random (default contiguous);"
                    + " --budget global = non-uniform"),
            new MethodSetting("tau", "T", "pdp: soft-mask temperature (default 1e-3)"),
            new MethodSetting("warmup-epochs", "N", "pdp: epochs without a mask first (default 16% of the epochs)"),
            new MethodSetting("fine-tune-epochs", "N", "pdp: epochs with the hardened mask at the end"
                    + " (default 20% of the epochs)"),
            new MethodSetting("eps", "E", "pdp: ratio ramp per epoch (default: full ratio at the last pruning epoch)"),
            new MethodSetting("drop-rate", "R", "granet|granet-st|rigl|set: initial drop rate of the cosine decay"
                    + " (default 0.5 granet, 0.3 rigl/set)"),
            new MethodSetting("initial-sparsity", "S", "granet-st: sparsity of the random ERK start (default 0.5)"),
            new MethodSetting("update-until", "F", "rigl|set|granet: fraction of training after which masks stop"
                    + " changing (default 0.75 rigl/set, 1 granet)"),
            new MethodSetting("snip-batches", "K", "snip: mini-batches the |g*w| scores are summed over (default 1)"),
            new MethodSetting("prune-fraction", "P", "lth: fraction of remaining weights pruned per round"
                    + " (default: derived from --sparsity)"),
            new MethodSetting("rewind-step", "K", "lth: step whose weights survivors are rewound to"
                    + " (default 0, the initialisation)"));

    /** The names of {@link #SETTINGS}, in help order. */
    public static final List<String> SETTING_NAMES = SETTINGS.stream().map(MethodSetting::name).toList();

    /** Every method, in the order help texts list them. */
    public static final List<MethodEntry> ENTRIES = List.of(
            new MethodEntry("dense", "no sparsity: the baseline", List.of(), (sparsity, settings) -> Methods.dense()),
            new MethodEntry("static", "a fixed random mask (ERK by default)", List.of("pattern", "budget"),
                    MethodRegistry::staticMask),
            new MethodEntry("gmp", "gradual magnitude pruning, one global threshold (the GraNet code's GMP)",
                    List.of("pattern", "interval", "start-epoch", "end-epoch", "budget"), MethodRegistry::gmp),
            new MethodEntry("gmp-layerwise", "gradual magnitude pruning, every layer at the same sparsity (Zhu and Gupta)",
                    List.of("pattern", "interval", "start-epoch", "end-epoch", "budget"), MethodRegistry::gmpLayerwise),
            new MethodEntry("pdp", "PDP: soft masks in the forward pass, hardened at the end of pruning",
                    List.of("pattern", "tau", "warmup-epochs", "fine-tune-epochs", "eps", "budget"), MethodRegistry::pdp),
            new MethodEntry("cgap", "cyclic grow-and-prune (C-GaP)", GAP, MethodRegistry::cgap),
            new MethodEntry("pgap", "parallel grow-and-prune (P-GaP): K workers per round, a runner of several trainings",
                    GAP, null),
            new MethodEntry("granet", "GraNet: gradual pruning from dense with zero-cost neuroregeneration",
                    List.of("interval", "start-epoch", "end-epoch", "initial-sparsity", "drop-rate", "update-until", "budget"),
                    (sparsity, settings) -> granet(GraNet.builder(), sparsity, settings)),
            new MethodEntry("granet-st", "GraNet from a random ERK mask at sparsity 0.5",
                    List.of("interval", "start-epoch", "end-epoch", "initial-sparsity", "drop-rate", "update-until", "budget"),
                    (sparsity, settings) -> granet(GraNet.st(), sparsity, settings)),
            new MethodEntry("rigl", "RigL: ERK mask, magnitude drop, gradient growth", DYNAMIC,
                    (sparsity, settings) -> dynamic(DynamicSparse.rigl(), settings).sparsity(sparsity).build()),
            new MethodEntry("set", "SET: ERK mask, magnitude drop, random growth", DYNAMIC,
                    (sparsity, settings) -> dynamic(DynamicSparse.set(), settings).sparsity(sparsity).build()),
            new MethodEntry("snip", "SNIP: one-shot |g * w| at initialisation", List.of("snip-batches", "budget"),
                    (sparsity, settings) -> budget(Snip.builder().sparsity(sparsity)
                            .batches(settings.integer("snip-batches", 1, 1, 1_000_000)), settings).build()),
            new MethodEntry("lth", "lottery ticket: iterative magnitude pruning with rewinding",
                    List.of("rounds", "rewind-step", "prune-fraction", "budget"), MethodRegistry::lth));

    /** The names, in {@link #ENTRIES} order. */
    public static final List<String> NAMES = ENTRIES.stream().map(MethodEntry::name).toList();

    /** The entry of a name, if there is one. */
    public static Optional<MethodEntry> find(String name) {
        return ENTRIES.stream().filter(e -> e.name().equals(name)).findFirst();
    }

    /**
     * The entry of a name.
     *
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    public static MethodEntry entry(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException(
                "unknown method '" + name + "': expected one of " + String.join(", ", NAMES)));
    }

    /**
     * A method built from its settings.
     *
     * @throws IllegalArgumentException for an unknown name, pgap (a runner: {@code org.prune4j.orchestrate.PGap}),
     *                                  or a bad or contradictory setting
     */
    public static SparsityMethod build(String name, double sparsity, MethodSettings settings) {
        MethodEntry entry = entry(name);
        if (!entry.buildsOneTraining()) {
            throw new IllegalArgumentException(name + " is a runner of several trainings, not one training's method:"
                    + " use org.prune4j.orchestrate.PGap");
        }
        Pattern pattern = Pattern.parse(settings.text("pattern", "unstructured"));
        if (!pattern.equals(Pattern.unstructured()) && name.equals("dense")) {
            throw new IllegalArgumentException("--pattern " + pattern.name() + " needs a sparse method: static, gmp or pdp");
        }
        return entry.factory().build(sparsity, settings);
    }

    /** A method at its defaults and a sparsity. */
    public static SparsityMethod byName(String name, double sparsity) {
        return build(name, sparsity, MethodSettings.none());
    }

    /** C-GaP's and P-GaP's schedule and partitioning settings, applied to either builder. */
    public static <T extends GapBuilder<T>> T gapSettings(T builder, MethodSettings settings) {
        return budget(builder.partitions(settings.integer("partitions", 3, 1, 10_000))
                .stepEpochs(settings.integer("step-epochs", 1, 1, 100_000))
                .rounds(settings.integer("rounds", 1, 1, 100_000))
                .finetuneEpochs(settings.integer("finetune-epochs", 0, 0, 100_000))
                .partitioning(Partitioning.parse(settings.text("partitioning", "contiguous"))), settings);
    }

    private static SparsityMethod staticMask(double sparsity, MethodSettings settings) {
        return budget(StaticMask.builder().sparsity(sparsity).pattern(pattern(settings)), settings).build();
    }

    private static SparsityMethod gmp(double sparsity, MethodSettings settings) {
        return gmpFrom(Gmp.builder(), sparsity, settings);
    }

    private static SparsityMethod gmpLayerwise(double sparsity, MethodSettings settings) {
        String budget = settings.text("budget", null);
        if (budget != null && Budget.parse(budget) == Budget.GLOBAL) {
            throw new IllegalArgumentException("--budget global contradicts gmp-layerwise: use gmp for one global threshold");
        }
        return gmpFrom(Gmp.layerwise(), sparsity, settings);
    }

    private static SparsityMethod gmpFrom(Gmp.Builder gmp, double sparsity, MethodSettings settings) {
        gmp.sparsity(sparsity).pattern(pattern(settings)).every(settings.longValue("interval", 100))
                .startEpoch(settings.number("start-epoch", 0));
        double end = settings.number("end-epoch", Double.NaN);
        if (!Double.isNaN(end)) {
            gmp.endEpoch(end);
        }
        return budget(gmp, settings).build();
    }

    private static SparsityMethod cgap(double sparsity, MethodSettings settings) {
        return gapSettings(CGap.builder().sparsity(sparsity), settings).build();
    }

    private static SparsityMethod pdp(double sparsity, MethodSettings settings) {
        Pdp.Builder pdp = Pdp.builder().sparsity(sparsity).pattern(pattern(settings));
        if (settings.has("tau")) {
            pdp.tau(settings.number("tau", Double.NaN));
        }
        if (settings.has("warmup-epochs")) {
            pdp.warmupEpochs(settings.integer("warmup-epochs", 0, 0, 100_000));
        }
        if (settings.has("fine-tune-epochs")) {
            pdp.fineTuneEpochs(settings.integer("fine-tune-epochs", 0, 0, 100_000));
        }
        if (settings.has("eps")) {
            pdp.eps(settings.number("eps", Double.NaN));
        }
        return budget(pdp, settings).build();
    }

    private static SparsityMethod granet(GraNet.Builder granet, double sparsity, MethodSettings settings) {
        granet.sparsity(sparsity).startEpoch(settings.number("start-epoch", 0));
        double end = settings.number("end-epoch", Double.NaN);
        if (!Double.isNaN(end)) {
            granet.endEpoch(end);
        }
        double initial = settings.number("initial-sparsity", Double.NaN);
        if (!Double.isNaN(initial)) {
            granet.initialSparsity(initial);
        }
        return dynamic(granet, settings).build();
    }

    private static SparsityMethod lth(double sparsity, MethodSettings settings) {
        LotteryTicket.Builder lth = LotteryTicket.builder()
                .rounds(settings.integer("rounds", 3, 2, 1000))
                .rewindStep(settings.longValue("rewind-step", 0));
        double fraction = settings.number("prune-fraction", Double.NaN);
        if (Double.isNaN(fraction)) {
            lth.sparsity(sparsity);
        } else {
            lth.pruneFraction(fraction);
        }
        return budget(lth, settings).build();
    }

    private static <T extends DynamicBuilder<T>> T dynamic(T builder, MethodSettings settings) {
        builder.every(settings.longValue("interval", 100));
        double rate = settings.number("drop-rate", Double.NaN);
        if (!Double.isNaN(rate)) {
            builder.dropRate(rate);
        }
        double until = settings.number("update-until", Double.NaN);
        if (!Double.isNaN(until)) {
            builder.updateUntil(until);
        }
        return budget(builder, settings);
    }

    private static <T extends AllocationBuilder<T>> T budget(T builder, MethodSettings settings) {
        String budget = settings.text("budget", null);
        if (budget != null) {
            builder.budget(Budget.parse(budget));
        }
        return builder;
    }

    private static Pattern pattern(MethodSettings settings) {
        return Pattern.parse(settings.text("pattern", "unstructured"));
    }
}
