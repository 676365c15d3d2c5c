package dev.twostep.outbox;

import dev.twostep.problems.ProblemException;
import dev.twostep.problems.ProblemMappers;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one answer to a race that {@link CommandPath} kept losing: 409 problem+json. It lives here, not in
 * problem-details, because problem-details must not depend on the event store.
 */
public class ConcurrencyConflictMapper {

    @ServerExceptionMapper
    public Response raced(ConcurrencyConflict conflict, UriInfo uri) {
        return ProblemMappers.answer(ProblemException.conflict(conflict.aggregateId()
                + " was changed by another request at the same time; nothing was written, so this request may "
                + "simply be retried"), uri);
    }
}
