package dev.twostep.artifactregistry.view;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.time.Instant;

/** One artefact version in the read model. Never leaves the service: {@link ArtefactView} does. */
@Entity
@Table(name = "artefact")
@IdClass(ArtefactEntity.Key.class)
public class ArtefactEntity {

    public record Key(String name, String version) implements Serializable {
        public Key() {
            this(null, null);
        }
    }

    @Id
    public String name;
    @Id
    public String version;
    public String digest;
    public String uri;
    @Column(name = "build_id")
    public String buildId;
    @Column(name = "run_url")
    public String runUrl;
    public String repository;
    @Column(name = "commit_sha")
    public String commit;
    /** Feature keys, comma-separated: keys cannot contain commas. */
    public String features;
    @Column(name = "published_at")
    public Instant publishedAt;
    public String status;
    @Column(name = "revoked_reason")
    public String revokedReason;
}
