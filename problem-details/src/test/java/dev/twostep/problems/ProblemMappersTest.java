package dev.twostep.problems;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.twostep.refusals.Refused;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Valid;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;
import org.junit.jupiter.api.Test;

import java.io.CharConversionException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every failure becomes problem+json: client mistakes name the field and the rule, an unreachable database is a 503,
 * anything else a 500 with an incident id and nothing of the server's insides. The mappers are called as the REST
 * layer calls them, with exceptions that the strict reader and the validator really throw.
 */
class ProblemMappersTest {

    enum Outcome { SUCCEEDED, FAILED }

    record Artefact(@Pattern(regexp = "sha256:[0-9a-f]{64}", message = "must be sha256: and 64 hex digits")
                    String digest) {
    }

    record Build(@NotBlank(message = "must not be blank") String buildId, Outcome outcome, Instant finishedAt,
                 int attempt, @Valid List<Artefact> artefacts) {
    }

    /** The shape of a resource method, so that the validator's paths read as they do in the services. */
    static final class Builds {
        @SuppressWarnings("unused")
        void register(@NotNull(message = "must not be empty") @Valid Build build) {
        }
    }

    private static final ObjectMapper STRICT = strict();
    private final ProblemMappers mappers = new ProblemMappers();

    private static ObjectMapper strict() {
        ObjectMapper mapper = new ObjectMapper().findAndRegisterModules();
        new StrictJson().customize(mapper);
        return mapper;
    }

    @Test
    void anUnknownNestedFieldIsNamedWithItsPath() {
        Problem problem = unreadable("""
                {"buildId": "b", "artefacts": [{"digest": "sha256:00"}, {"colour": "red"}]}""");

        assertThat(problem.violations()).containsExactly(new Problem.Violation("artefacts[1].colour",
                "is not a known field"));
        assertThat(problem.detail()).isEqualTo("artefacts[1].colour: is not a known field");
        assertThat(problem.title()).isEqualTo("Malformed request body");
    }

    @Test
    void aControlCharacterIsNamedAsSuch() {
        Problem problem = unreadable("{\"artefacts\": [{\"digest\": \"a\\u0000b\"}]}");

        assertThat(problem.violations()).containsExactly(new Problem.Violation("artefacts[0].digest",
                "must not contain control characters"));
    }

    @Test
    void aBadEnumValueListsTheAllowedOnes() {
        Problem problem = unreadable("{\"outcome\": \"MAYBE\"}");

        assertThat(problem.violations()).containsExactly(new Problem.Violation("outcome",
                "'MAYBE' is not a valid value (one of [SUCCEEDED, FAILED])"));
    }

    @Test
    void aBadTimeSaysWhatATimeLooksLike() {
        Problem problem = unreadable("{\"finishedAt\": \"yesterday\"}");

        assertThat(problem.violations()).singleElement().satisfies(v -> {
            assertThat(v.field()).isEqualTo("finishedAt");
            assertThat(v.rule()).isEqualTo("'yesterday' is not a valid RFC 3339 time, for example 2026-01-31T12:00:00Z");
        });
        assertThat(unreadable("{\"finishedAt\": \"+999999999-12-31T23:59:59Z\"}").violations()).containsExactly(
                new Problem.Violation("finishedAt",
                        "'+999999999-12-31T23:59:59Z' is not a valid RFC 3339 time, for example 2026-01-31T12:00:00Z"));
    }

    @Test
    void aMissingOrMistypedValueNamesTheFieldAndTheTypeItMustHave() {
        assertThat(unreadable("{\"attempt\": null}").violations()).containsExactly(
                new Problem.Violation("attempt", "must be present and a valid integer"));
        assertThat(unreadable("{\"attempt\": \"2\"}").violations()).containsExactly(
                new Problem.Violation("attempt", "must be present and a valid integer"));
        assertThat(unreadable("{\"buildId\": 12}").violations()).containsExactly(
                new Problem.Violation("buildId", "'12' is not a valid string"));
        assertThat(unreadable("{\"artefacts\": \"all of them\"}").violations()).containsExactly(
                new Problem.Violation("artefacts", "must be present and a valid array"));
    }

    @Test
    void aDocumentThatIsNotAnObjectOrNotJsonIsABodyProblem() {
        assertThat(unreadable("[1, 2]").violations()).containsExactly(
                new Problem.Violation("body", "must be a JSON object"));
        assertThat(unreadable("{\"buildId\": ").violations()).containsExactly(
                new Problem.Violation("body", "must be valid JSON"));
    }

    @Test
    void validationViolationsAreNamedWithoutTheMethodAndArgumentAndSortedByField() throws Exception {
        Validator validator = Validation.byDefaultProvider().configure()
                .messageInterpolator(new ParameterMessageInterpolator()).buildValidatorFactory().getValidator();
        Build build = new Build(" ", Outcome.SUCCEEDED, null, 1, List.of(new Artefact("md5:1")));
        var violations = validator.forExecutables().validateParameters(new Builds(),
                Builds.class.getDeclaredMethod("register", Build.class), new Object[] {build});

        Response response = mappers.invalid(new ConstraintViolationException(violations), null);

        Problem problem = problemOf(response, 400);
        assertThat(problem.violations()).containsExactly(
                new Problem.Violation("artefacts[0].digest", "must be sha256: and 64 hex digits"),
                new Problem.Violation("buildId", "must not be blank"));
        assertThat(problem.detail())
                .isEqualTo("artefacts[0].digest: must be sha256: and 64 hex digits; buildId: must not be blank");

        var missingBody = validator.forExecutables().validateParameters(new Builds(),
                Builds.class.getDeclaredMethod("register", Build.class), new Object[] {null});
        assertThat(problemOf(mappers.invalid(new ConstraintViolationException(missingBody), null), 400).violations())
                .containsExactly(new Problem.Violation("body", "must not be empty"));
    }

    @Test
    void aRefusalKeepsItsStatusTitleAndViolations() {
        Problem problem = problemOf(mappers.refused(ProblemException.invalid("commit", "must be 7 to 64 hex digits"),
                null), 400);
        assertThat(problem.type()).isEqualTo("https://twostep.dev/problems/400");
        assertThat(problem.detail()).isEqualTo("commit: must be 7 to 64 hex digits");
        assertThat(problem.violations()).containsExactly(new Problem.Violation("commit", "must be 7 to 64 hex digits"));

        Problem conflict = problemOf(mappers.refused(ProblemException.conflict("build b exists with other content"),
                null), 409);
        assertThat(conflict.title()).isEqualTo("Conflict");
        assertThat(conflict.violations()).isEmpty();
    }

    /** Every kind of a domain's refusal has its status, so no service maps them by hand. */
    @Test
    void aDecisionsRefusalIsAnsweredWithTheStatusOfItsKind() {
        assertThat(problemOf(mappers.refusedByTheDecision(Refused.notFound("no feature f"), null), 404).title())
                .isEqualTo("Not found");
        Problem conflict = problemOf(mappers.refusedByTheDecision(Refused.conflict("no rollout of f is active"), null),
                409);
        assertThat(conflict.detail()).isEqualTo("no rollout of f is active");
        assertThat(problemOf(mappers.refusedByTheDecision(Refused.forbidden("approved by the requester"), null), 403)
                .title()).isEqualTo("Forbidden");
    }

    @Test
    void aBodyInAnotherEncodingIsABodyProblem() {
        Problem problem = problemOf(mappers.unreadableBytes(new CharConversionException("Invalid UTF-32"), null), 400);

        assertThat(problem.violations()).containsExactly(new Problem.Violation("body", "must be JSON encoded in UTF-8"));
    }

    @Test
    void anHttpExceptionKeepsItsStatusAndOneWrappingAParseFailureNamesTheField() {
        Problem notFound = problemOf(mappers.http(new NotFoundException("no build b"), null), 404);
        assertThat(notFound.title()).isEqualTo("Not Found");
        assertThat(notFound.detail()).isEqualTo("no build b");

        JsonProcessingException parseFailure = parseFailure("{\"attempt\": true}");
        Problem wrapped = problemOf(mappers.http(new WebApplicationException(parseFailure, 400), null), 400);
        assertThat(wrapped.violations()).containsExactly(
                new Problem.Violation("attempt", "must be present and a valid integer"));
    }

    @Test
    void anUnreachableDatabaseIsA503ToRetry() {
        SQLException connectionLost = new SQLException("I/O error", "08006");
        Problem problem = problemOf(mappers.unexpected(new IllegalStateException("commit failed", connectionLost),
                null), 503);

        assertThat(problem.detail()).isEqualTo("the database is unreachable; nothing was written, retry later");
    }

    @Test
    void anythingElseIsA500ThatTellsAnIncidentIdAndNothingOfTheServersInsides() {
        Problem problem = problemOf(mappers.unexpected(new NullPointerException("secret.internal.Field is null"),
                null), 500);

        assertThat(problem.detail()).matches("unexpected failure; quote incident [0-9a-f-]{36}")
                .doesNotContain("NullPointerException").doesNotContain("secret");
    }

    @Test
    void databaseUnavailabilityIsFoundAnywhereInTheCauseChainAndOnlyThere() {
        assertThat(DatabaseUnavailable.isCauseOf(new RuntimeException(new SQLException("shutdown", "57P01")))).isTrue();
        assertThat(DatabaseUnavailable.isCauseOf(new RuntimeException(new SQLTransientConnectionException())))
                .isTrue();
        assertThat(DatabaseUnavailable.isCauseOf(new RuntimeException("Acquisition timeout while waiting"))).isTrue();
        assertThat(DatabaseUnavailable.isCauseOf(new SQLException("duplicate key", "23505"))).isFalse();
        assertThat(DatabaseUnavailable.isCauseOf(new IllegalArgumentException("bad"))).isFalse();
    }

    private Problem unreadable(String body) {
        return problemOf(mappers.unreadable(parseFailure(body), null), 400);
    }

    private static JsonProcessingException parseFailure(String body) {
        try {
            STRICT.readValue(body, Build.class);
        } catch (JsonProcessingException e) {
            return e;
        }
        throw new AssertionError("the strict reader accepted " + body);
    }

    private static Problem problemOf(Response response, int status) {
        assertThat(response.getStatus()).isEqualTo(status);
        assertThat(response.getMediaType()).hasToString(Problem.MEDIA_TYPE);
        assertThat(response.getEntity()).isInstanceOf(Problem.class);
        Problem problem = (Problem) response.getEntity();
        assertThat(problem.status()).isEqualTo(status);
        return problem;
    }
}
