package org.prune4j;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering of docs/architecture.md, checked on the compiled toolkit: no package cycles, pure floors that
 * know no DJL, methods that know neither the trainer nor the command line, and executors that run the command
 * line only through the {@code TaskCommand} service.
 */
class ArchitectureTest {

    private static JavaClasses toolkit;

    @BeforeAll
    static void importToolkit() {
        toolkit = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.prune4j");
    }

    @Test
    void noPackageCycles() {
        slices().matching("org.prune4j.(*)..").should().beFreeOfCycles().check(toolkit);
    }

    @Test
    void pureFloorsImportNoDjl() {
        // Densities, schedules and recipes are plain maths and values: testable and reusable without an engine.
        noClasses().that().resideInAnyPackage("org.prune4j.density..", "org.prune4j.schedule..", "org.prune4j.recipe..")
                .should().dependOnClassesThat().resideInAnyPackage("ai.djl..").check(toolkit);
    }

    @Test
    void masksAndModelsImportNoDjlTrainingApi() {
        noClasses().that().resideInAnyPackage("org.prune4j.mask..", "org.prune4j.model..", "org.prune4j.density..")
                .should().dependOnClassesThat().resideInAnyPackage("ai.djl.training..").check(toolkit);
    }

    @Test
    void methodsImportNeitherTheTrainerNorTheCommandLine() {
        noClasses().that().resideInAnyPackage("org.prune4j.method..", "org.prune4j.gap..")
                .should().dependOnClassesThat().resideInAnyPackage("org.prune4j.train..", "org.prune4j.cli..",
                        "org.prune4j.exec..", "org.prune4j.orchestrate..", "org.prune4j.registry..")
                .check(toolkit);
    }

    @Test
    void executorsNameNoCommandLineClass() {
        noClasses().that().resideInAnyPackage("org.prune4j.exec..")
                .should().dependOnClassesThat().resideInAnyPackage("org.prune4j.cli..", "org.prune4j.orchestrate..")
                .check(toolkit);
    }

    @Test
    void onlyTheCommandLineAndTheNotebookSitAboveOrchestration() {
        noClasses().that().resideOutsideOfPackages("org.prune4j.cli..", "org.prune4j.orchestrate..", "org.prune4j.notebook..")
                .should().dependOnClassesThat().resideInAnyPackage("org.prune4j.orchestrate..").check(toolkit);
    }
}
