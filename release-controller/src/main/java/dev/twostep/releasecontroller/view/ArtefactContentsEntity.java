package dev.twostep.releasecontroller.view;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The features one published artefact version contains, and where it came from. */
@Entity
@Table(name = "artefact_contents")
public class ArtefactContentsEntity {

    @Id
    @Column(name = "artefact_id")
    public String artefactId;
    public String name;
    public String version;
    /** A JSON array, read and written through {@link JsonText}. */
    public String features;
    public String digest;
    @Column(name = "commit_sha")
    public String commit;
    @Column(name = "build_id")
    public String buildId;
    @Column(name = "run_url")
    public String runUrl;
}
