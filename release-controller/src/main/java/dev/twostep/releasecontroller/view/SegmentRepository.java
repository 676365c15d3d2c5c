package dev.twostep.releasecontroller.view;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

@ApplicationScoped
public class SegmentRepository implements PanacheRepositoryBase<SegmentEntity, String> {

    public List<SegmentEntity> in(String environment) {
        return list("environment = ?1 order by name", environment);
    }
}
