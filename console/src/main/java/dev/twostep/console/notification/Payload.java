package dev.twostep.console.notification;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.jackson.JsonFormat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The body posted to a receiver, fixed when the notice is queued, so that every retry sends the same bytes under the
 * same signature and idempotency key.
 */
public record Payload(String contentType, byte[] body) {

    private static final JsonFormat CLOUDEVENTS_JSON = new JsonFormat();
    private static final ObjectMapper JSON = new ObjectMapper();

    public static Payload of(Notice notice, Format format, String consoleUrl) {
        return switch (format) {
            case CLOUDEVENTS -> new Payload(JsonFormat.CONTENT_TYPE, CLOUDEVENTS_JSON.serialize(notice.event()));
            case SLACK -> new Payload("application/json", slack(notice, consoleUrl));
        };
    }

    /** The one line of a Slack message: the summary, escaped as Slack asks, and a link to the story. */
    static String slackText(Notice notice, String consoleUrl) {
        return escape(notice.summary()) + " <" + storyLink(notice, consoleUrl) + "|open the story in the console>";
    }

    /** The console's page for the notice's story (its correlation id), or the timeline when it has none. */
    static String storyLink(Notice notice, String consoleUrl) {
        String base = consoleUrl.endsWith("/") ? consoleUrl.substring(0, consoleUrl.length() - 1) : consoleUrl;
        return notice.story() == null ? base + "/"
                : base + "/story.html?id=" + URLEncoder.encode(notice.story(), StandardCharsets.UTF_8);
    }

    private static byte[] slack(Notice notice, String consoleUrl) {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("text", slackText(notice, consoleUrl));
        message.put("unfurl_links", false);
        try {
            return JSON.writeValueAsBytes(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a Slack message", e);
        }
    }

    /** Slack reads {@code &}, {@code <} and {@code >} as markup; a reason containing them must not forge a link. */
    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
