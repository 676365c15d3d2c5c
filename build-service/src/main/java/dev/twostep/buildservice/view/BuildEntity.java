package dev.twostep.buildservice.view;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** One row of the build read model. Never leaves the service: {@link BuildView} is what clients see. */
@Entity
@Table(name = "build")
public class BuildEntity {

    @Id
    @Column(name = "build_id")
    public String buildId;
    @Column(name = "ci_system")
    public String ciSystem;
    @Column(name = "run_url")
    public String runUrl;
    public String repository;
    @Column(name = "commit_sha")
    public String commit;
    public String branch;
    public String outcome;
    @Column(name = "started_at")
    public Instant startedAt;
    @Column(name = "finished_at")
    public Instant finishedAt;
    /** The artefacts as event JSON; they are only ever read back whole. */
    public String artefacts;
    @Column(name = "recorded_at")
    public Instant recordedAt;
}
