package dev.twostep.outbox;

import dev.twostep.problems.Problem;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A race the command path kept losing is the one 409 problem, naming what changed and that nothing was written. */
class ConcurrencyConflictMapperTest {

    @Test
    void aConflictThatSurvivedItsAttemptsIsA409ProblemNamingTheAggregate() {
        Response response = new ConcurrencyConflictMapper().raced(new ConcurrencyConflict("deployment-7", 3), null);

        assertThat(response.getStatus()).isEqualTo(409);
        assertThat(response.getMediaType()).hasToString(Problem.MEDIA_TYPE);
        Problem problem = (Problem) response.getEntity();
        assertThat(problem.title()).isEqualTo("Conflict");
        assertThat(problem.detail()).startsWith("deployment-7 was changed by another request at the same time")
                .contains("nothing was written");
    }
}
