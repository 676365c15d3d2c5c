package dev.twostep.releasecontroller.view;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

@ApplicationScoped
public class RunningVersionRepository implements PanacheRepositoryBase<RunningVersionEntity, String> {

    public List<RunningVersionEntity> inEnvironment(String environment) {
        return list("environment", environment);
    }

    public List<RunningVersionEntity> running(String application, String version) {
        return list("application = ?1 and version = ?2", application, version);
    }
}
