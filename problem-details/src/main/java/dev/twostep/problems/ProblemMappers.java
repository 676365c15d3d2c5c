package dev.twostep.problems;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.twostep.refusals.Refused;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.io.CharConversionException;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Turns every failure into RFC 9457 problem+json. Client mistakes get a 4xx that names the field
 * and the rule; an unreachable database is a 503 the client may retry; anything else is a 500
 * whose detail is an incident id, never a class name or a stack trace.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response refused(ProblemException e, UriInfo uri) {
        return answer(e, uri);
    }

    /** An aggregate's decision refused the command: the one place a domain's refusal becomes its status. */
    @ServerExceptionMapper
    public Response refusedByTheDecision(Refused e, UriInfo uri) {
        return answer(ProblemException.of(e), uri);
    }

    /** The problem+json answer to a refusal, for mappers in other modules that refuse in their own terms. */
    public static Response answer(ProblemException e, UriInfo uri) {
        return respond(new Problem(typeOf(e.status()), e.title(), e.status(), e.getMessage(), path(uri),
                e.violations()));
    }

    @ServerExceptionMapper
    public Response invalid(ConstraintViolationException e, UriInfo uri) {
        List<Problem.Violation> violations = e.getConstraintViolations().stream()
                .map(v -> new Problem.Violation(fieldOf(v), v.getMessage()))
                .sorted(Comparator.comparing(Problem.Violation::field))
                .toList();
        String detail = violations.stream().map(v -> v.field() + ": " + v.rule()).collect(Collectors.joining("; "));
        return respond(new Problem(typeOf(400), "Invalid request", 400, detail, path(uri), violations));
    }

    @ServerExceptionMapper
    public Response unreadable(JsonProcessingException e, UriInfo uri) {
        String field = e instanceof JsonMappingException mapping ? fieldOf(mapping.getPath()) : "body";
        String rule = ruleOf(e);
        return respond(new Problem(typeOf(400), "Malformed request body", 400, field + ": " + rule, path(uri),
                List.of(new Problem.Violation(field, rule))));
    }

    /** Says what was wrong in the client's terms, without the parser's internals. */
    private static String ruleOf(JsonProcessingException e) {
        return switch (e) {
            case UnrecognizedPropertyException unknown -> "is not a known field";
            case StrictJson.ControlCharacters control -> StrictJson.CONTROL_CHARACTERS;
            case InvalidFormatException format -> "'" + format.getValue() + "' is not a valid "
                    + typeName(format.getTargetType());
            case MismatchedInputException mismatch when mismatch.getPath().isEmpty() -> "must be a JSON object";
            case MismatchedInputException mismatch -> "must be present and a valid " + typeName(mismatch.getTargetType());
            case JsonMappingException mapping -> "is not valid";
            default -> "must be valid JSON";
        };
    }

    private static String typeName(Class<?> type) {
        if (type == null) {
            return "value";
        }
        if (type.isEnum()) {
            return "value (one of " + Arrays.toString(type.getEnumConstants()) + ")";
        }
        if (Collection.class.isAssignableFrom(type)) {
            return "array"; // Jackson names the list it would build (ArrayList), not the declared List
        }
        return switch (type.getSimpleName()) {
            case "Instant", "OffsetDateTime" -> "RFC 3339 time, for example 2026-01-31T12:00:00Z";
            case "Duration" -> "ISO-8601 duration, for example PT5M";
            case "String" -> "string";
            case "boolean", "Boolean" -> "boolean";
            case "int", "Integer", "long", "Long" -> "integer";
            case "double", "Double", "BigDecimal" -> "number";
            default -> "object";
        };
    }

    /** A body in an encoding that is not JSON's (UTF-8, -16 or -32), found before any JSON is parsed. */
    @ServerExceptionMapper
    public Response unreadableBytes(CharConversionException e, UriInfo uri) {
        String rule = "must be JSON encoded in UTF-8";
        return respond(new Problem(typeOf(400), "Malformed request body", 400, "body: " + rule, path(uri),
                List.of(new Problem.Violation("body", rule))));
    }

    /** Overrides the framework's own mapper for this type, which answers without a body. */
    @ServerExceptionMapper
    public Response mismatched(MismatchedInputException e, UriInfo uri) {
        return unreadable(e, uri);
    }

    @ServerExceptionMapper
    public Response http(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        Throwable cause = e.getCause();
        if (cause instanceof JsonProcessingException json) {
            return unreadable(json, uri);
        }
        String title = Response.Status.fromStatusCode(status) == null ? "HTTP " + status
                : Response.Status.fromStatusCode(status).getReasonPhrase();
        return respond(new Problem(typeOf(status), title, status, e.getMessage(), path(uri), List.of()));
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, UriInfo uri) {
        if (DatabaseUnavailable.isCauseOf(e)) {
            LOG.warnf("database unavailable: %s", e.getMessage());
            return respond(new Problem(typeOf(503), "Service unavailable", 503,
                    "the database is unreachable; nothing was written, retry later", path(uri), List.of()));
        }
        String incident = UUID.randomUUID().toString();
        LOG.errorf(e, "unexpected failure, incident %s", incident);
        return respond(new Problem(typeOf(500), "Internal error", 500,
                "unexpected failure; quote incident " + incident, path(uri), List.of()));
    }

    private static Response respond(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }

    private static String typeOf(int status) {
        return "https://twostep.dev/problems/" + status;
    }

    private static String path(UriInfo uri) {
        return uri == null ? null : "/" + uri.getPath().replaceFirst("^/", "");
    }

    /** {@code register.arg0.artefacts[0].digest} becomes {@code artefacts[0].digest}. */
    private static String fieldOf(ConstraintViolation<?> violation) {
        String path = violation.getPropertyPath().toString();
        String[] parts = path.split("\\.", 3);
        return parts.length == 3 ? parts[2] : parts.length == 2 ? "body" : path;
    }

    private static String fieldOf(List<JsonMappingException.Reference> path) {
        if (path.isEmpty()) {
            return "body";
        }
        StringBuilder field = new StringBuilder();
        for (JsonMappingException.Reference reference : path) {
            if (reference.getFieldName() != null) {
                field.append(field.isEmpty() ? "" : ".").append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                field.append('[').append(reference.getIndex()).append(']');
            }
        }
        return field.toString();
    }
}
