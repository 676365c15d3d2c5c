package dev.twostep.releasecontroller.rest;

import jakarta.validation.constraints.Size;

/** Describes a feature by hand; the application is filled in from the artefacts that contain it. */
public record FeatureRequest(@Size(max = 200) String application, @Size(max = 2000) String description) {
}
