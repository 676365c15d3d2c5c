package dev.twostep.k8s;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What a CloudNativePG Cluster creates: its initdb database, the ones its postInitSQL creates, and managed roles. */
final class Databases {

    private static final Pattern CREATE_DATABASE =
            Pattern.compile("(?i)CREATE DATABASE\\s+([a-z_][a-z0-9_]*)\\s+OWNER\\s+([a-z_][a-z0-9_]*)\\s*;?");

    private Databases() {
    }

    /** The role that owns a database the cluster creates; fails if the cluster creates no such database. */
    static String owner(KubeObject cluster, String database) {
        JsonNode initdb = cluster.at("spec", "bootstrap", "initdb");
        if (initdb.path("database").asText().equals(database)) {
            return initdb.path("owner").asText();
        }
        for (JsonNode statement : initdb.path("postInitSQL")) {
            Matcher create = CREATE_DATABASE.matcher(statement.asText().trim());
            if (create.matches() && create.group(1).equals(database)) {
                return create.group(2);
            }
        }
        throw new AssertionError(cluster + " creates no database " + database);
    }

    /** The Secret that sets a managed role's password, if the cluster manages that role. */
    static Optional<String> passwordSecret(KubeObject cluster, String role) {
        for (JsonNode managed : cluster.at("spec", "managed", "roles")) {
            if (managed.path("name").asText().equals(role) && managed.path("ensure").asText("present").equals("present")
                    && managed.path("login").asBoolean()) {
                return Optional.of(managed.path("passwordSecret").path("name").asText());
            }
        }
        return Optional.empty();
    }
}
