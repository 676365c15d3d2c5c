package dev.twostep.releasecontroller.feature;

import dev.twostep.events.ReleaseEvent.FeatureDefined;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FeatureTest {

    private static final FeatureDefined BY_CHECKOUT = new FeatureDefined("new-payment-form", "checkout", null);

    @Test
    void theFirstArtefactThatListsAFeatureDefinesIt() {
        assertThat(Feature.NONE.discover(BY_CHECKOUT)).containsExactly(BY_CHECKOUT);
    }

    @Test
    void laterArtefactsChangeNothingWhicheverApplicationTheyBelongTo() {
        Feature defined = Feature.fold(List.of(BY_CHECKOUT));

        assertThat(defined.discover(BY_CHECKOUT)).isEmpty();
        assertThat(defined.discover(new FeatureDefined("new-payment-form", "cart", null))).isEmpty();
    }

    @Test
    void byHandTheApplicationAndDescriptionCanChangeAndARepeatIsANoOp() {
        Feature defined = Feature.fold(List.of(BY_CHECKOUT));
        FeatureDefined described = new FeatureDefined("new-payment-form", null, "the card form with 3-D Secure");

        assertThat(defined.define(described))
                .containsExactly(new FeatureDefined("new-payment-form", "checkout", "the card form with 3-D Secure"));
        assertThat(defined.define(BY_CHECKOUT)).isEmpty();
    }
}
