package dev.twostep.e2e;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the decisions pure by rule, not by habit: the packages that hold an aggregate's decide/evolve core (and
 * the event contract they speak) may not reach a framework, the database or the broker, and may not take a
 * read-model row as an input. A decision that read a projection could act on state another replica has already
 * moved past; a decision that imports Quarkus cannot be tested in milliseconds. This module sees every service's
 * classes, so the rule is checked once for all of them.
 */
class DomainPurityTest {

    /** The decide/evolve cores. A new aggregate package belongs here the day it is written. */
    static final String[] DOMAIN = {
            "dev.twostep.buildservice.build..",
            "dev.twostep.artifactregistry.artefact..",
            "dev.twostep.deployorchestrator.deployment..",
            "dev.twostep.deployorchestrator.approval..",
            "dev.twostep.deployorchestrator.environment..",
            "dev.twostep.releasecontroller.release..",
            "dev.twostep.releasecontroller.feature..",
            "dev.twostep.rolloutanalyzer.decision..",
            "dev.twostep.rolloutanalyzer.rollout..",
            "dev.twostep.console.delivery..",
            "dev.twostep.console.suspects.."};

    static final String[] FRAMEWORKS = {
            "io.quarkus..", "jakarta..", "javax.persistence..", "org.hibernate..", "org.apache.kafka..",
            "io.smallrye..", "io.vertx..", "org.eclipse.microprofile..", "io.agroal..", "org.postgresql.."};

    /** Read models and the layers around the core: the core is called by them, never the other way round. */
    static final String[] OUTER_LAYERS = {"..view..", "..service..", "..rest..", "..intake..", "dev.twostep.outbox.."};

    /** The services are not on this module's class path (its tests run them as processes), so their classes are read where the reactor compiled them. */
    static final String[] MODULES = {
            "events", "build-service", "artifact-registry", "deploy-orchestrator", "release-controller", "rollout-analyzer",
            "console"};

    private static JavaClasses classes;

    @BeforeAll
    static void importTwostep() {
        Path root = Path.of(System.getProperty("twostep.root", ".."));
        List<Path> compiled = Stream.of(MODULES).map(module -> root.resolve(module).resolve("target/classes")).toList();
        compiled.forEach(folder -> assertThat(folder).as("compiled classes of %s (the reactor builds them before e2e)",
                folder.getParent().getParent().getFileName()).isDirectory());
        classes = new ClassFileImporter().importPaths(compiled);
    }

    @Test
    void domainPackagesImportNoFrameworkDatabaseOrBroker() {
        ArchRule rule = noClasses().that().resideInAnyPackage(DOMAIN)
                .should().dependOnClassesThat().resideInAnyPackage(FRAMEWORKS)
                .because("a decision is a pure function, tested without Quarkus (shared/STYLE.md)");
        rule.check(classes);
    }

    /**
     * The event contract is shared by every service and by tools outside Twostep, so it carries no application
     * framework. It may speak Kafka (its CloudEvents codec is its job) and declare Bean Validation constraints,
     * which the services' REST edges apply.
     */
    @Test
    void eventContractCarriesNoApplicationFramework() {
        ArchRule rule = noClasses().that().resideInAPackage("dev.twostep.events..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "io.quarkus..", "io.smallrye..", "io.vertx..", "org.hibernate..", "jakarta.persistence..",
                        "jakarta.ws..", "jakarta.enterprise..", "dev.twostep.outbox..")
                .because("the contract module has no Quarkus dependency (shared/DESIGN.md, Events: the contract)");
        rule.check(classes);
    }

    @Test
    void noDecisionTakesAReadModelOrOuterLayerAsInput() {
        ArchRule rule = noClasses().that().resideInAnyPackage(DOMAIN)
                .should().dependOnClassesThat().resideInAnyPackage(OUTER_LAYERS)
                .because("a read model feeds a decision only through a lock or a version held by the command path,"
                        + " never as a value the core reads by itself");
        rule.check(classes);
    }
}
