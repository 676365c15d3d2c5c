package dev.twostep.releasecontroller.view;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** One segment of an environment: a named JsonLogic condition that flag definitions reference with $ref. */
@Entity
@Table(name = "segment")
public class SegmentEntity {

    @Id
    public String id;
    public String environment;
    public String name;
    /** The JsonLogic condition, as JSON text. */
    public String rule;
    public long sequence;
    @Column(name = "changed_at")
    public Instant changedAt;

    public static String idOf(String environment, String name) {
        return environment + "/" + name;
    }
}
