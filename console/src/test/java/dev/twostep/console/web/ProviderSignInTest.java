package dev.twostep.console.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.twostep.events.EventJson;
import dev.twostep.testing.RealInfrastructure;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

/**
 * The production sign-in, end to end: the console runs the OpenID Connect authorization-code flow at a real Keycloak
 * ({@link TestKeycloak}), Debian's Chromium ({@link Chromium}) types alice's password into Keycloak's own login form,
 * and the console passes her Keycloak access token on to the services it calls. Those are {@link RecordingServices},
 * a local HTTP server that records every request's token: the real services would need their own databases, and what
 * is under test here is what the console sends. Screenshots go to {@code target/screenshots}.
 */
@QuarkusTest
@WithTestResource(RealInfrastructure.class)
@WithTestResource(TestKeycloak.class)
@WithTestResource(RecordingServices.class)
class ProviderSignInTest {

    private static final Duration PATIENCE = Duration.ofSeconds(45);

    @TestHTTPResource("/")
    URL console;

    @ConfigProperty(name = "twostep.deploy-orchestrator.url")
    String services;

    @ConfigProperty(name = "mp.jwt.verify.issuer")
    String keycloak;

    private WebDriver browser;

    /** A browser of its own per test, so that no session (the console's or Keycloak's) carries over. */
    @BeforeEach
    void startTheBrowser() {
        browser = Chromium.start();
    }

    @AfterEach
    void stopTheBrowser() {
        browser.quit();
    }

    @Test
    void aliceSignsInAtKeycloakAndTheServicesGetHerAccessToken() throws Exception {
        int earlierCalls = recordedCalls().size();
        open("index.html");
        awaitKeycloakLoginForm();
        Chromium.screenshot(browser, "sign-in-keycloak");
        signInAtKeycloak("alice", "alice-password");

        await().atMost(PATIENCE).until(() -> browser.getCurrentUrl().endsWith("/index.html")
                && !find("#who").getText().isEmpty());
        assertThat(find("#who").getText()).startsWith("alice (approver, release-manager, viewer)");
        JsonNode me = EventJson.mapper().readTree(pageText("ui/api/me"));
        assertThat(me.path("name").asText()).isEqualTo("alice");
        assertThat(me.path("roles")).extracting(JsonNode::asText)
                .containsExactly("approver", "release-manager", "viewer");
        assertThat(me.path("may").path("approvePromotion").asBoolean()).isTrue();

        open("environments.html");
        WebElement approve = await().atMost(PATIENCE).until(() -> browser.findElements(
                By.cssSelector("button[data-action=approve]")), buttons -> !buttons.isEmpty()).getFirst();
        Chromium.screenshot(browser, "sign-in-keycloak-alice");
        approve.click();

        // Each call the console made for alice, reads and the approval alike, carried her own Keycloak access token.
        List<JsonNode> calls = await().atMost(PATIENCE).until(() -> {
            List<JsonNode> recorded = recordedCalls();
            return recorded.subList(earlierCalls, recorded.size());
        }, made -> made.stream().anyMatch(call -> call.path("method").asText().equals("POST")));
        JsonNode approval = calls.stream().filter(call -> call.path("method").asText().equals("POST")).findFirst()
                .orElseThrow();
        assertThat(approval.path("path").asText())
                .isEqualTo("/environments/" + RecordingServices.PROD + "/approvals");
        assertThat(calls).extracting(call -> call.path("path").asText()).contains("/environments",
                "/environments/" + RecordingServices.PROD + "/inventory");
        for (JsonNode call : calls) {
            JsonNode claims = claims(call.path("token").asText());
            assertThat(claims.path("preferred_username").asText()).as("%s", call.path("path")).isEqualTo("alice");
            assertThat(claims.path("iss").asText()).isEqualTo(keycloak);
            assertThat(claims.path("azp").asText()).isEqualTo(TestKeycloak.CLIENT_ID);
            assertThat(claims.path("typ").asText()).as("an access token, not the ID token").isEqualTo("Bearer");
            assertThat(claims.path("realm_access").path("roles")).extracting(JsonNode::asText)
                    .contains("approver", "release-manager");
        }

        // The same token works as a bearer token for an API client, as in the services.
        given().auth().oauth2(approval.path("token").asText()).get("/ui/api/me").then().statusCode(200)
                .body("name", equalTo("alice")).body("roles", hasItems("approver", "release-manager"));

        // Signing out ends Keycloak's session too: the way back in is its login form again.
        open("index.html");
        await().atMost(PATIENCE).until(() -> !browser.findElements(By.id("sign-out")).isEmpty());
        find("#sign-out").click();
        awaitKeycloakLoginForm();
        open("index.html");
        awaitKeycloakLoginForm();
    }

    @Test
    void aViewerSignedInAtKeycloakSeesNoActionButtons() {
        open("environments.html");
        awaitKeycloakLoginForm();
        signInAtKeycloak("viewer", "viewer-password");

        await().atMost(PATIENCE).until(() -> browser.getCurrentUrl().endsWith("/index.html"));
        open("environments.html");
        String prod = "section[data-environment='" + RecordingServices.PROD + "']";
        await().atMost(PATIENCE).until(() -> !browser.findElements(By.cssSelector(prod)).isEmpty()
                && find(prod).getText().contains(RecordingServices.APPLICATION));
        assertThat(find("#who").getText()).startsWith("viewer (viewer)");
        assertThat(browser.findElements(By.cssSelector("button[data-action]"))).isEmpty();
        Chromium.screenshot(browser, "sign-in-keycloak-viewer");
    }

    @Test
    void apiCallsWithoutASessionAreRefusedNotRedirected() {
        given().auth().none().redirects().follow(false).get("/ui/api/me").then().statusCode(401)
                .contentType("application/problem+json");
        given().auth().none().redirects().follow(false).get("/sign-in/provider").then().statusCode(302)
                .header("Location", org.hamcrest.Matchers.startsWith(keycloak + "/protocol/openid-connect/auth"));
        given().auth().none().get("/sign-in").then().statusCode(200)
                .body("provider", equalTo(true)).body("localPersonas", equalTo(false));
        given().auth().none().get("/sign-in/personas").then().statusCode(404);
    }

    private void awaitKeycloakLoginForm() {
        String login = keycloak + "/protocol/openid-connect/auth";
        await().atMost(PATIENCE).until(() -> browser.getCurrentUrl().startsWith(login)
                && !browser.findElements(By.id("username")).isEmpty());
    }

    private void signInAtKeycloak(String username, String password) {
        find("#username").sendKeys(username);
        find("#password").sendKeys(password);
        find("#kc-login").click();
    }

    /** Every call the services were sent in this class's run, oldest first. */
    private List<JsonNode> recordedCalls() throws IOException, InterruptedException {
        try (HttpClient http = HttpClient.newHttpClient()) {
            List<JsonNode> calls = new ArrayList<>();
            EventJson.mapper().readTree(http.send(HttpRequest.newBuilder(URI.create(services + "/recorded"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body()).forEach(calls::add);
            return calls;
        }
    }

    /** A token's claims, read (the services verify it; this only looks at whose it is). */
    private static JsonNode claims(String token) throws IOException {
        String[] parts = token.split("\\.");
        assertThat(parts).as("a signed JWT").hasSize(3);
        return EventJson.mapper().readTree(Base64.getUrlDecoder().decode(parts[1]));
    }

    /** A JSON answer as the browser shows it (in a pre element), with the browser's own session. */
    private String pageText(String path) {
        open(path);
        return find("pre").getText();
    }

    private void open(String page) {
        browser.get(console.toString() + page);
    }

    private WebElement find(String selector) {
        return browser.findElement(By.cssSelector(selector));
    }
}
