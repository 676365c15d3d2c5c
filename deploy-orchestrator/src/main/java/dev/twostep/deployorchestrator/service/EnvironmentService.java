package dev.twostep.deployorchestrator.service;

import dev.twostep.deployorchestrator.environment.Environment;
import dev.twostep.deployorchestrator.view.EnvironmentEntity;
import dev.twostep.deployorchestrator.view.EnvironmentRepository;
import dev.twostep.deployorchestrator.view.EnvironmentView;
import dev.twostep.events.DeploymentEvent.EnvironmentDefined;
import dev.twostep.events.EventEnvelope;
import dev.twostep.outbox.CommandPath;
import dev.twostep.outbox.EventMetadata;
import dev.twostep.problems.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class EnvironmentService {

    private final CommandPath commands;
    private final EnvironmentRepository environments;

    EnvironmentService(CommandPath commands, EnvironmentRepository environments) {
        this.commands = commands;
        this.environments = environments;
    }

    /** @return true when the definition changed (a new event), false when it was already so */
    public boolean define(EnvironmentDefined wanted, String actor) {
        return commands.call(() -> {
            if (wanted.promotesFrom() != null && environments.findByIdOptional(wanted.promotesFrom()).isEmpty()) {
                throw ProblemException.invalid("promotesFrom", "names no defined environment: "
                        + wanted.promotesFrom());
            }
            return !commands.decide(wanted.aggregateId(), Environment::fold,
                    environment -> defined(environment, wanted), EventMetadata.startedBy(actor), this::project)
                    .isEmpty();
        });
    }

    private static List<EnvironmentDefined> defined(Environment environment, EnvironmentDefined wanted) {
        try {
            return environment.define(wanted);
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid("promotesFrom", e.getMessage());
        }
    }

    private void project(EventEnvelope envelope) {
        EnvironmentDefined defined = (EnvironmentDefined) envelope.data();
        EnvironmentEntity row = environments.findByIdOptional(defined.name()).orElseGet(EnvironmentEntity::new);
        EnvironmentView.apply(defined, row, envelope.time());
        environments.persist(row);
    }

    public Optional<EnvironmentView> find(String name) {
        return environments.findByIdOptional(name).map(EnvironmentView::of);
    }

    public List<EnvironmentView> all() {
        return environments.listAll().stream().map(EnvironmentView::of)
                .sorted(Comparator.comparing(EnvironmentView::name)).toList();
    }
}
