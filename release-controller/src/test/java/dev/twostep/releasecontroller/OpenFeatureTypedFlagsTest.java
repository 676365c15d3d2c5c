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
import dev.openfeature.sdk.Value;
import dev.twostep.testing.RealInfrastructure;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import static dev.twostep.releasecontroller.TopicFixtures.apiKey;
import static dev.twostep.releasecontroller.TopicFixtures.deployed;
import static dev.twostep.releasecontroller.TopicFixtures.json;
import static dev.twostep.releasecontroller.TopicFixtures.published;
import static dev.twostep.releasecontroller.TopicFixtures.unique;
import static dev.twostep.releasecontroller.TypedFlagsTest.DEFINITION_PATH;
import static org.assertj.core.api.Assertions.assertThat;

/** An unchanged OpenFeature Java SDK with the stock OFREP provider resolves every type of flag definition. */
@QuarkusTest
@WithTestResource(RealInfrastructure.class)
class OpenFeatureTypedFlagsTest {

    @Test
    void theOfrepProviderResolvesBooleanStringIntegerDoubleAndObjectFlags() {
        String app = unique("shop");
        String toggle = unique("toggle");
        String theme = unique("theme");
        String limit = unique("limit");
        String ratio = unique("ratio");
        String layout = unique("layout");
        published(app, "1.0.0", toggle, theme, limit, ratio, layout);
        deployed(app, "1.0.0", "prod", toggle);
        String pro = "{\"==\": [{\"var\": \"plan\"}, \"pro\"]}";
        define(toggle, "{\"on\": true, \"off\": false}", "off", pro, "on");
        define(theme, "{\"classic\": \"classic\", \"dark\": \"dark\"}", "classic", pro, "dark");
        define(limit, "{\"low\": 10, \"high\": 1000}", "low", pro, "high");
        define(ratio, "{\"low\": 0.25, \"high\": 0.75}", "low", pro, "high");
        define(layout, "{\"compact\": {\"rows\": 10, \"dense\": true}, \"wide\": {\"rows\": 50, \"dense\": false}}",
                "compact", pro, "wide");

        OpenFeatureAPI api = OpenFeatureAPI.getInstance();
        api.setProviderAndWait("twostep-typed", OfrepProvider.constructProvider(OfrepProviderOptions.builder()
                .baseUrl("http://localhost:" + RestAssured.port)
                .headers(ImmutableMap.of("Authorization", ImmutableList.of("Bearer " + apiKey("prod"))))
                .build()));
        Client client = api.getClient("twostep-typed");
        MutableContext proUser = new MutableContext("ann").add("plan", "pro");
        MutableContext freeUser = new MutableContext("bob").add("plan", "free");

        FlagEvaluationDetails<Boolean> on = client.getBooleanDetails(toggle, false, proUser);
        assertThat(on.getValue()).isTrue();
        assertThat(on.getVariant()).isEqualTo("on");
        assertThat(on.getReason()).isEqualTo("TARGETING_MATCH");

        FlagEvaluationDetails<String> dark = client.getStringDetails(theme, "?", proUser);
        assertThat(dark.getValue()).isEqualTo("dark");
        FlagEvaluationDetails<String> classic = client.getStringDetails(theme, "?", freeUser);
        assertThat(classic.getValue()).isEqualTo("classic");
        assertThat(classic.getReason()).isEqualTo("DEFAULT");

        FlagEvaluationDetails<Integer> high = client.getIntegerDetails(limit, -1, proUser);
        assertThat(high.getValue()).isEqualTo(1000);
        assertThat(high.getVariant()).isEqualTo("high");

        FlagEvaluationDetails<Double> low = client.getDoubleDetails(ratio, -1.0, freeUser);
        assertThat(low.getValue()).isEqualTo(0.25);

        FlagEvaluationDetails<Value> wide = client.getObjectDetails(layout, new Value(), proUser);
        assertThat(wide.getVariant()).isEqualTo("wide");
        assertThat(wide.getValue().asStructure().getValue("rows").asInteger()).isEqualTo(50);
        assertThat(wide.getValue().asStructure().getValue("dense").asBoolean()).isFalse();

        FlagEvaluationDetails<Integer> mismatch = client.getIntegerDetails(theme, -1, proUser);
        assertThat(mismatch.getValue()).isEqualTo(-1);
        assertThat(mismatch.getErrorCode()).isEqualTo(ErrorCode.TYPE_MISMATCH);
    }

    private static void define(String feature, String variants, String defaultVariant, String condition,
                               String variant) {
        json("{\"state\": \"ENABLED\", \"defaultVariant\": \"" + defaultVariant + "\", \"variants\": " + variants
                + ", \"targeting\": {\"if\": [" + condition + ", \"" + variant + "\"]}}")
                .put(DEFINITION_PATH, feature, "prod").then().statusCode(200);
    }
}
