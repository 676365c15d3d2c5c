package dev.twostep.events;

import dev.twostep.events.ReleaseEvent.RolloutStarted;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A rollout of a flag definition names its treatment and control variants; one of an audience names neither, and
 * its first sample (written before the names existed) still decodes and encodes unchanged.
 */
class NamedVariantRolloutSampleTest {

    private static final String TYPE = "dev.twostep.rollout.started.v1";

    @Test
    void aRolloutOfADefinitionCarriesItsTreatmentAndControl() throws IOException {
        byte[] sample = resource("/samples/variants/" + TYPE + ".json");
        RolloutStarted started = (RolloutStarted) EventJson.read(TYPE, sample);

        assertThat(started.treatment()).isEqualTo("dark");
        assertThat(started.control()).isEqualTo("classic");
        assertThat(EventJson.mapper().readTree(EventJson.write(started))).isEqualTo(EventJson.mapper().readTree(sample));
    }

    @Test
    void aRolloutOfAnAudienceNamesNoVariants() throws IOException {
        RolloutStarted started = (RolloutStarted) EventJson.read(TYPE, resource("/samples/" + TYPE + ".json"));

        assertThat(started.treatment()).isNull();
        assertThat(started.control()).isNull();
    }

    private static byte[] resource(String path) throws IOException {
        try (InputStream in = NamedVariantRolloutSampleTest.class.getResourceAsStream(path)) {
            return in.readAllBytes();
        }
    }
}
