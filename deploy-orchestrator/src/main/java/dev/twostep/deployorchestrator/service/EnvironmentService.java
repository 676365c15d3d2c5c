package dev.twostep.deployorchestrator.service;

import dev.twostep.deployorchestrator.environment.Environment;
import dev.twostep.deployorchestrator.view.EnvironmentEntity;
import dev.twostep.deployorchestrator.view.EnvironmentRepository;
import dev.twostep.deployorchestrator.view.EnvironmentView;
import dev.twostep.events.DeploymentEvent.EnvironmentDefined;
import dev.twostep.events.EventEnvelope;
import dev.twostep.outbox.EventMetadata;
import dev.twostep.outbox.EventStore;
import dev.twostep.problems.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class EnvironmentService {

    private final EventStore store;
    private final EnvironmentRepository environments;

    EnvironmentService(EventStore store, EnvironmentRepository environments) {
        this.store = store;
        this.environments = environments;
    }

    /** @return true when the definition changed (a new event), false when it was already so */
    @Transactional
    public boolean define(EnvironmentDefined wanted, String actor) {
        String aggregateId = wanted.aggregateId();
        Environment environment = Environment.fold(store.load(aggregateId).stream()
                .map(e -> (EnvironmentDefined) e.data()).toList());
        if (wanted.promotesFrom() != null && environments.findByIdOptional(wanted.promotesFrom()).isEmpty()) {
            throw ProblemException.invalid("promotesFrom", "names no defined environment: " + wanted.promotesFrom());
        }
        List<EnvironmentDefined> changes;
        try {
            changes = environment.define(wanted);
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid("promotesFrom", e.getMessage());
        }
        if (changes.isEmpty()) {
            return false;
        }
        List<EventEnvelope> appended = store.append(aggregateId, environment.version(), changes,
                EventMetadata.startedBy(actor));
        EnvironmentEntity row = environments.findByIdOptional(wanted.name()).orElseGet(EnvironmentEntity::new);
        EnvironmentView.apply(wanted, row, appended.getLast().time());
        environments.persist(row);
        return true;
    }

    public Optional<EnvironmentView> find(String name) {
        return environments.findByIdOptional(name).map(EnvironmentView::of);
    }

    public List<EnvironmentView> all() {
        return environments.listAll().stream().map(EnvironmentView::of)
                .sorted(Comparator.comparing(EnvironmentView::name)).toList();
    }
}
