package dev.twostep.outbox;

import io.smallrye.config.ConfigMapping;

import java.util.Optional;

/**
 * The service's PostgreSQL database, as Quarkus's own datasource keys name it: the {@link OutboxRelay} opens a
 * connection of its own there, outside the pool. Quarkus documents and checks these keys; only the three the relay
 * reads are listed here.
 */
@ConfigMapping(prefix = "quarkus.datasource")
public interface DatasourceConfig {

    Jdbc jdbc();

    /** The user to connect as; absent, the driver's default. */
    Optional<String> username();

    /** That user's password; absent, none is sent. */
    Optional<String> password();

    interface Jdbc {

        /** The database's JDBC URL, such as {@code jdbc:postgresql://127.0.0.1:5432/twostep_build}. */
        String url();
    }
}
