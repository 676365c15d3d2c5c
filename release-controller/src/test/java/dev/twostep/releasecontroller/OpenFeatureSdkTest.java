package dev.twostep.releasecontroller;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import dev.openfeature.contrib.providers.ofrep.OfrepProvider;
import dev.openfeature.contrib.providers.ofrep.OfrepProviderOptions;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.ErrorCode;
import dev.openfeature.sdk.FlagEvaluationDetails;
import dev.openfeature.sdk.MutableContext;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.twostep.testing.RealInfrastructure;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import static dev.twostep.releasecontroller.TopicFixtures.apiKey;
import static dev.twostep.releasecontroller.TopicFixtures.audience;
import static dev.twostep.releasecontroller.TopicFixtures.shopRunning;
import static org.assertj.core.api.Assertions.assertThat;

/** An unchanged OpenFeature Java SDK with the stock OFREP provider evaluates Twostep's flags. */
@QuarkusTest
@WithTestResource(RealInfrastructure.class)
class OpenFeatureSdkTest {

    @Test
    void theOfrepProviderReadsValuesReasonsAndErrors() {
        String feature = shopRunning("prod").feature();
        audience(feature, "prod", "{\"percentage\": 0, \"users\": [\"alice\"], \"reason\": \"alice first\"}");

        OpenFeatureAPI api = OpenFeatureAPI.getInstance();
        api.setProviderAndWait("twostep", OfrepProvider.constructProvider(OfrepProviderOptions.builder()
                .baseUrl("http://localhost:" + RestAssured.port)
                .headers(ImmutableMap.of("Authorization", ImmutableList.of("Bearer " + apiKey("prod", "dev"))))
                .build()));
        Client client = api.getClient("twostep");

        FlagEvaluationDetails<Boolean> alice = client.getBooleanDetails(feature, false,
                new MutableContext("alice").add("environment", "prod"));
        assertThat(alice.getValue()).isTrue();
        assertThat(alice.getVariant()).isEqualTo("on");
        assertThat(alice.getReason()).isEqualTo("TARGETING_MATCH");
        assertThat(alice.getFlagMetadata().getInteger("sequence")).isEqualTo(2);

        FlagEvaluationDetails<Boolean> bob = client.getBooleanDetails(feature, true,
                new MutableContext("bob").add("environment", "prod"));
        assertThat(bob.getValue()).isFalse();
        assertThat(bob.getReason()).isEqualTo("STATIC");

        assertThat(client.getBooleanDetails("no-such-flag", true, new MutableContext("bob")
                .add("environment", "prod")).getErrorCode()).isEqualTo(ErrorCode.FLAG_NOT_FOUND);
        FlagEvaluationDetails<Boolean> noEnvironment = client.getBooleanDetails(feature, true,
                new MutableContext("bob"));
        assertThat(noEnvironment.getValue()).isTrue();
        assertThat(noEnvironment.getErrorCode()).isEqualTo(ErrorCode.INVALID_CONTEXT);
    }
}
