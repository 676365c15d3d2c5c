package dev.twostep.releasecontroller.apikey;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

@Entity
@Table(name = "ofrep_api_key")
public class ApiKeyEntity {

    @Id
    @Column(name = "key_id")
    public String keyId;
    public String name;
    @Column(name = "secret_hash")
    public String secretHash;
    /** Comma-separated environment names. */
    public String environments;
    @Column(name = "issued_by")
    public String issuedBy;
    @Column(name = "issued_at")
    public Instant issuedAt;
    @Column(name = "revoked_by")
    public String revokedBy;
    @Column(name = "revoked_at")
    public Instant revokedAt;

    Set<String> environmentSet() {
        return Arrays.stream(environments.split(",")).collect(Collectors.toUnmodifiableSet());
    }
}
