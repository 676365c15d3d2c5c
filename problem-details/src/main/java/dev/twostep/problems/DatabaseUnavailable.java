package dev.twostep.problems;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;

/**
 * Tells a database that cannot be reached (down, restarting, partitioned, or a pool with no connection to give)
 * from everything else. Such a failure is worth waiting out: a request gets 503 and may retry, a consumer retries
 * the same record. Anything else is a property of the request or the record.
 */
public final class DatabaseUnavailable {

    private DatabaseUnavailable() {
    }

    public static boolean isCauseOf(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLTransientException || cause instanceof SQLRecoverableException) {
                return true;
            }
            // SQLSTATE class 08 is a connection exception; 57P is an operator intervention such as a shutdown.
            if (cause instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
                return true;
            }
            if (cause.getClass().getName().endsWith("JDBCConnectionException") || cause.getMessage() != null
                    && cause.getMessage().contains("Acquisition timeout")) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }
}
