package dev.twostep.releasecontroller.view;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

@ApplicationScoped
public class SegmentRepository implements PanacheRepositoryBase<SegmentEntity, String> {

    public List<SegmentEntity> in(String environment) {
        return list("environment = ?1 order by name", environment);
    }

    /**
     * Holds the environment's segment lock until the transaction ends. A definition is compiled against the segments
     * its transaction reads, and a segment change rewrites the definitions its transaction finds; were the two to
     * overlap (two replicas, or two requests on one), each would miss the other's uncommitted write and a definition
     * would keep a segment's old rule for good. Both take this lock before they read, so the later one sees what the
     * earlier one committed. An advisory lock needs no row, so it works for an environment with no segment yet; two
     * environments whose names hash alike merely wait for each other.
     */
    public void lockEnvironment(String environment) {
        getEntityManager()
                .createNativeQuery("SELECT 1 FROM pg_advisory_xact_lock(hashtext('twostep-segments:' || ?1))")
                .setParameter(1, environment).getSingleResult();
    }
}
