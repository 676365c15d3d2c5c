package dev.twostep.releasecontroller.view;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** The version of one application that runs in one environment, after its last DeploymentSucceeded. */
@Entity
@Table(name = "running_version")
public class RunningVersionEntity {

    @Id
    public String id;
    public String environment;
    public String application;
    public String version;
    @Column(name = "deployment_id")
    public String deploymentId;
    public Instant since;
    /** The story of the DeploymentSucceeded, continued by releases of the code it brought. */
    @Column(name = "correlation_id")
    public String correlationId;
    @Column(name = "event_id")
    public String eventId;

    public static String idOf(String environment, String application) {
        return environment + "/" + application;
    }
}
