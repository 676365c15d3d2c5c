package dev.twostep.buildservice.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.twostep.access.Caller;
import dev.twostep.access.Roles;
import dev.twostep.buildservice.cdevents.CDEvent;
import dev.twostep.buildservice.cdevents.CDEventIntake;
import dev.twostep.buildservice.cdevents.CDEventReader;
import dev.twostep.problems.ProblemException;
import io.cloudevents.CloudEvent;
import io.cloudevents.http.HttpMessageFactory;
import io.cloudevents.rw.CloudEventRWException;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.Optional;

/**
 * CDEvents as CloudEvents over HTTP, in binary mode ({@code ce-*} headers, the CDEvent as the body) or in
 * structured mode ({@code application/cloudevents+json}). The CloudEvents SDK's HTTP binding tells the two
 * apart. Every accepted event is answered 202: the build may still wait for its other half.
 */
@Path("/cdevents")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.CI)
public class CDEventResource {

    private final CDEventReader reader;
    private final CDEventIntake intake;
    private final MeterRegistry registry;
    private final Caller caller;

    CDEventResource(ObjectMapper json, CDEventIntake intake, MeterRegistry registry, Caller caller) {
        this.caller = caller;
        this.reader = new CDEventReader(json);
        this.intake = intake;
        this.registry = registry;
    }

    /** @param status what became of the event: recorded, waiting for its other half, or ignored */
    public record Accepted(String type, String status, String buildId) {
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    public Response receive(@Context HttpHeaders headers, byte[] body) {
        CloudEvent event = cloudEvent(headers, body);
        Optional<CDEvent> understood = reader.read(event);
        String status;
        String buildId = null;
        if (understood.isEmpty()) {
            status = "ignored";
        } else {
            CDEventIntake.Result result = intake.accept(understood.get(), caller.name());
            status = result.status().name().toLowerCase().replace('_', '-');
            buildId = result.buildId();
        }
        registry.counter("twostep.cdevents.received", "type", event.getType(), "status", status).increment();
        return Response.accepted(new Accepted(event.getType(), status, buildId)).build();
    }

    private static CloudEvent cloudEvent(HttpHeaders headers, byte[] body) {
        try {
            return HttpMessageFactory.createReaderFromMultimap(headers.getRequestHeaders(), body).toEvent();
        } catch (RuntimeException e) {
            // The SDK reports unreadable input in several ways (a read or deserialization exception, even a
            // NullPointerException for a JSON null); each is the client's malformed event.
            throw ProblemException.invalid("ce-specversion", "must be a CloudEvent in binary mode (ce-* headers) "
                    + "or structured mode (Content-Type: application/cloudevents+json)"
                    + (e instanceof CloudEventRWException ? ": " + e.getMessage() : ""));
        }
    }
}
