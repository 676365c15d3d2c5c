package dev.twostep.deployorchestrator.view;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.time.Instant;

/** An artefact version as the artifact-registry published it; the name is the application. */
@Entity
@Table(name = "known_artefact")
@IdClass(KnownArtefactEntity.Key.class)
public class KnownArtefactEntity {

    public record Key(String application, String version) implements Serializable {
        public Key() {
            this(null, null);
        }
    }

    @Id
    public String application;
    @Id
    public String version;
    public String digest;
    public String uri;
    @Column(name = "commit_sha")
    public String commit;
    @Column(name = "build_id")
    public String buildId;
    @Column(name = "correlation_id")
    public String correlationId;
    @Column(name = "published_event_id")
    public String publishedEventId;
    @Column(name = "published_at")
    public Instant publishedAt;
    public boolean revoked;
    @Column(name = "revoked_reason")
    public String revokedReason;
}
