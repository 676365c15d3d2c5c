package dev.twostep.console.rest;

import dev.twostep.access.Caller;
import dev.twostep.access.Roles;
import dev.twostep.console.notification.Deliveries;
import dev.twostep.console.notification.Subscriptions;
import dev.twostep.problems.ProblemException;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.core.Context;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Notification subscriptions. Subscribing and unsubscribing are for SREs; every role may see the subscriptions and
 * how their deliveries went, with the URLs cut to their origin for all but SREs (a webhook URL is often the
 * receiver's credential).
 */
@Path("/subscriptions")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.VIEWER)
public class SubscriptionResource {

    private static final Set<String> STATES = Set.of("pending", "delivered", "dead");

    private final Subscriptions subscriptions;
    private final Deliveries deliveries;
    private final Caller caller;
    private final SecurityIdentity identity;

    SubscriptionResource(Subscriptions subscriptions, Deliveries deliveries, Caller caller, SecurityIdentity identity) {
        this.subscriptions = subscriptions;
        this.deliveries = deliveries;
        this.caller = caller;
        this.identity = identity;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.SRE)
    @Operation(summary = "Subscribes a URL to notices of the named event types (in the named environments, or all),"
            + " as CloudEvents (structured mode) or Slack messages; the answer shows the signing secret, once")
    public Response subscribe(Subscriptions.Request request, @Context UriInfo uri) {
        Subscriptions.Created created = subscriptions.subscribe(request, caller.name());
        return Response.created(uri.getAbsolutePathBuilder().path(created.subscription().id().toString()).build())
                .entity(created).build();
    }

    @GET
    @Operation(summary = "Every subscription, with its pending, delivered and dead-lettered deliveries")
    public List<Subscriptions.View> list() {
        return subscriptions.list().stream().map(this::shown).toList();
    }

    @GET
    @Path("/{id}")
    public Subscriptions.View get(@PathParam("id") String id) {
        return shown(subscriptions.find(idOf(id)).orElseThrow(() -> notFound(id)));
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed(Roles.SRE)
    @Operation(summary = "Unsubscribes; its pending deliveries are dropped")
    public Response unsubscribe(@PathParam("id") String id) {
        if (!subscriptions.unsubscribe(idOf(id))) {
            throw notFound(id);
        }
        return Response.noContent().build();
    }

    @GET
    @Path("/{id}/deliveries")
    @Operation(summary = "The subscription's latest deliveries (at most 100), newest first, each with its attempts"
            + " and the reason of a dead letter; state=pending|delivered|dead filters")
    public List<Deliveries.DeliveryView> deliveries(@PathParam("id") String id, @QueryParam("state") String state) {
        UUID subscription = idOf(id);
        if (state != null && !STATES.contains(state)) {
            throw ProblemException.invalid("state", "must be one of pending, delivered, dead");
        }
        subscriptions.find(subscription).orElseThrow(() -> notFound(id));
        return deliveries.recent(subscription, Optional.ofNullable(state));
    }

    private Subscriptions.View shown(Subscriptions.View view) {
        return identity.hasRole(Roles.SRE) ? view : view.withUrlRedacted();
    }

    private static UUID idOf(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid("id", "must be a subscription id (a UUID)");
        }
    }

    private static ProblemException notFound(String id) {
        return ProblemException.notFound("no subscription " + id);
    }
}
