package dev.twostep.buildservice.cdevents;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** What the CDEvents about one artefact have said so far, until they make a whole build. */
@Entity
@Table(name = "cdevent_artefact")
public class PendingArtefactEntity {

    @Id
    public String purl;
    @Column(name = "build_id")
    public String buildId;
    @Column(name = "build_source")
    public String buildSource;
    @Column(name = "build_finished_at")
    public Instant buildFinishedAt;
    @Column(name = "published_at")
    public Instant publishedAt;
    @Column(name = "chain_id")
    public String chainId;
    public String name;
    public String version;
    public String digest;
    public String repository;
    @Column(name = "commit_sha")
    public String commit;
    /** Feature keys, comma-separated: keys cannot contain commas. */
    public String features;
    @Column(name = "packaged_source")
    public String packagedSource;
    @Column(name = "packaged_at")
    public Instant packagedAt;
    @Column(name = "recorded_build_id")
    public String recordedBuildId;
}
