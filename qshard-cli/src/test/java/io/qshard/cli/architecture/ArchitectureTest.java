package io.qshard.cli.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module and package rules of docs/architecture.md, checked on the production classes of every module this one
 * sees (all but the demo and the benchmarks): data flows one way, API objects → conversion → core → decision →
 * binder → API. A rule that fails names the offending classes and the dependency.
 */
class ArchitectureTest {
    private static JavaClasses production;

    @BeforeAll
    static void importClasses() {
        // Modules come as target/classes in a reactor build and as jars otherwise; test classes as test-classes or
        // test-jars.
        ImportOption noTests = location -> !location.contains("/test-classes/") && !location.contains("-tests.jar");
        production = new ClassFileImporter().withImportOption(noTests).importPackages("io.qshard");
    }

    @Test
    void noPackageCycles() {
        slices().matching("io.qshard.(**)").should().beFreeOfCycles().check(production);
    }

    @Test
    void coreAndPredictorsArePure() {
        noClasses()
                .that()
                .resideInAnyPackage("io.qshard.core..", "io.qshard.predict..")
                .should()
                .dependOnClassesThat()
                .resideOutsideOfPackages(
                        "io.qshard.core..",
                        "io.qshard.predict..",
                        "java..",
                        "com.google.common..",
                        "org.apache.commons.math3..",
                        "org.snakeyaml..",
                        "org.slf4j..")
                .check(production);
    }

    @Test
    void coreDoesNotCallBackIntoTheRuntime() {
        noClasses()
                .that()
                .resideInAPackage("io.qshard.core..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.qshard.predict..")
                .check(production);
    }

    @Test
    void noProductionClassUsesTheLocalControlPlane() {
        noClasses()
                .that()
                .resideOutsideOfPackage("io.qshard.localcluster..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.qshard.localcluster..")
                .check(production);
    }

    @Test
    void theApiEdgeKnowsNothingOfTheProcessesAroundIt() {
        noClasses()
                .that()
                .resideInAPackage("io.qshard.kube..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.qshard.shard..",
                        "io.qshard.controllers..",
                        "io.qshard.simulator..",
                        "io.qshard.agent..",
                        "io.qshard.oversale..",
                        "io.qshard.cli..")
                .check(production);
    }

    @Test
    void theNodeAgentDependsOnTheApiEdgeOnly() {
        noClasses()
                .that()
                .resideInAPackage("io.qshard.agent..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.qshard.shard..", "io.qshard.controllers..", "io.qshard.simulator..", "io.qshard.cli..")
                .check(production);
    }

    @Test
    void theSchedulerRuntimeDoesNotKnowTheControllersOrTheSimulator() {
        noClasses()
                .that()
                .resideInAPackage("io.qshard.shard..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.qshard.controllers..", "io.qshard.simulator..", "io.qshard.cli..")
                .check(production);
    }
}
