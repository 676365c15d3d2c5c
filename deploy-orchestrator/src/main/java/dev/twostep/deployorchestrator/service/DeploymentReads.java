package dev.twostep.deployorchestrator.service;

import dev.twostep.deployorchestrator.view.DeploymentRepository;
import dev.twostep.deployorchestrator.view.DeploymentView;
import dev.twostep.deployorchestrator.view.EnvironmentRepository;
import dev.twostep.deployorchestrator.view.InventoryRepository;
import dev.twostep.deployorchestrator.view.InventoryView;
import dev.twostep.problems.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Optional;

/** What people read about deployments and what runs where; nothing here decides anything. */
@ApplicationScoped
public class DeploymentReads {

    private final DeploymentRepository deployments;
    private final EnvironmentRepository environments;
    private final InventoryRepository inventory;

    DeploymentReads(DeploymentRepository deployments, EnvironmentRepository environments,
                    InventoryRepository inventory) {
        this.deployments = deployments;
        this.environments = environments;
        this.inventory = inventory;
    }

    public Optional<DeploymentView> find(String id) {
        return deployments.findByIdOptional(id).map(DeploymentView::of);
    }

    public List<DeploymentView> ofApplication(String application) {
        return deployments.ofApplication(application).stream().map(DeploymentView::of).toList();
    }

    public InventoryView inventoryOf(String environment) {
        if (environments.findByIdOptional(environment).isEmpty()) {
            throw ProblemException.notFound("no environment " + environment);
        }
        return InventoryView.of(environment, inventory.of(environment));
    }
}
