package dev.twostep.deployorchestrator.approval;

import dev.twostep.events.DeploymentEvent.PromotionApproved;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The approvals of one application version for one environment. Each approver counts once, so a
 * repeated approval changes nothing.
 */
public record Approval(Set<String> approvers, long version) {

    public static final Approval NONE = new Approval(Set.of(), 0);

    public static Approval fold(List<PromotionApproved> history) {
        Set<String> approvers = new TreeSet<>();
        history.forEach(event -> approvers.add(event.approvedBy()));
        return new Approval(Set.copyOf(approvers), history.size());
    }

    public List<PromotionApproved> approve(PromotionApproved wanted) {
        return approvers.contains(wanted.approvedBy()) ? List.of() : List.of(wanted);
    }

    /**
     * Four eyes: an approval counts only when someone other than the requester gave it.
     */
    public static boolean allowsRequestBy(Set<String> approvers, String requester) {
        return approvers.stream().anyMatch(approver -> !approver.equals(requester));
    }
}
