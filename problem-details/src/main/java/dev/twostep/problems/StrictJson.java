package dev.twostep.problems;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.deser.DurationDeserializer;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * Request bodies are read strictly: an unknown field, a number where text belongs, text where a number belongs, or a
 * null for a number is the client's mistake, answered with a 400 that names the field, never silently coerced.
 * Text may not carry control characters other than tab and line breaks: they have no place in names or
 * reasons, they garble logs and terminals, and PostgreSQL cannot store U+0000 at all. A time is RFC 3339 text (a
 * number of epoch seconds is refused, and so is a year beyond 9999, which PostgreSQL cannot store either), and a
 * duration is ISO-8601 text.
 */
@Singleton
public class StrictJson implements ObjectMapperCustomizer {

    /** Applied after Quarkus's own customizers, so that these readers of times replace the Java time module's. */
    @Override
    public int priority() {
        return MINIMUM_PRIORITY;
    }

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.registerModule(new SimpleModule("twostep-strict")
                .addDeserializer(String.class, new PrintableText())
                .addDeserializer(Instant.class, new Rfc3339Time())
                .addDeserializer(Duration.class, new Iso8601Duration()));
        mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        mapper.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Integer)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Float)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Boolean)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
    }

    /** Jackson's own text reading, then a refusal of control characters (as an invalid format of the field). */
    static final class PrintableText extends StringDeserializer {

        @Override
        public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            String text = super.deserialize(parser, context);
            if (text != null && text.chars().anyMatch(PrintableText::isForbidden)) {
                throw new ControlCharacters(parser, text);
            }
            return text;
        }

        private static boolean isForbidden(int c) {
            return (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F;
        }
    }

    static final String CONTROL_CHARACTERS = "must not contain control characters";

    /** An RFC 3339 time in text: four digits of year, so at most 9999. */
    static final class Rfc3339Time extends StdScalarDeserializer<Instant> {

        Rfc3339Time() {
            super(Instant.class);
        }

        @Override
        public Instant deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            if (!parser.hasToken(JsonToken.VALUE_STRING)) {
                return (Instant) context.handleUnexpectedToken(Instant.class, parser);
            }
            String text = parser.getText().strip();
            if (!FOUR_DIGIT_YEAR.matcher(text).lookingAt()) {
                throw context.weirdStringException(text, Instant.class, "not an RFC 3339 time");
            }
            return InstantDeserializer.INSTANT.deserialize(parser, context);
        }
    }

    /** An ISO-8601 duration in text; Jackson's own reader would take a bare number as seconds. */
    static final class Iso8601Duration extends StdScalarDeserializer<Duration> {

        Iso8601Duration() {
            super(Duration.class);
        }

        @Override
        public Duration deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            if (!parser.hasToken(JsonToken.VALUE_STRING)) {
                return (Duration) context.handleUnexpectedToken(Duration.class, parser);
            }
            return DurationDeserializer.INSTANCE.deserialize(parser, context);
        }
    }

    private static final Pattern FOUR_DIGIT_YEAR = Pattern.compile("\\d{4}-");

    /**
     * Text refused for its control characters. A type of its own, because Jackson reports a number or a boolean
     * where text belongs as an invalid format of a string too, and that refusal needs another rule.
     */
    static final class ControlCharacters extends InvalidFormatException {

        ControlCharacters(JsonParser parser, String text) {
            super(parser, CONTROL_CHARACTERS, text, String.class);
        }
    }
}
