package dev.twostep.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A fresh database on the real PostgreSQL server ({@code 127.0.0.1:5432}, user {@code postgres}, or
 * {@code TWOSTEP_TEST_PG_HOST}/{@code TWOSTEP_TEST_PG_PORT}/{@code TWOSTEP_TEST_PG_USER}), created for
 * one test run and dropped after it.
 */
public record TestDatabase(String name, String host, int port, String user) {

    public static TestDatabase create(String prefix) {
        String host = env("TWOSTEP_TEST_PG_HOST", "127.0.0.1");
        int port = Integer.parseInt(env("TWOSTEP_TEST_PG_PORT", "5432"));
        String user = env("TWOSTEP_TEST_PG_USER", "postgres");
        TestDatabase database = new TestDatabase(
                prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12), host, port, user);
        database.admin("CREATE DATABASE " + database.name);
        return database;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + name;
    }

    public void drop() {
        admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    private void admin(String sql) {
        try (Connection connection = DriverManager.getConnection(
                "jdbc:postgresql://" + host + ":" + port + "/postgres", user, "");
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + host + ":" + port + " refused: " + sql, e);
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
