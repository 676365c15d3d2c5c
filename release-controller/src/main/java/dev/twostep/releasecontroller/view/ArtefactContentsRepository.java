package dev.twostep.releasecontroller.view;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class ArtefactContentsRepository implements PanacheRepositoryBase<ArtefactContentsEntity, String> {
}
