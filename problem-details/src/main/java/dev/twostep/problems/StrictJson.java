package dev.twostep.problems;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

import java.io.IOException;

/**
 * Request bodies are read strictly: an unknown field, a number where text belongs, or a null for a
 * number is the client's mistake, answered with a 400 that names the field, never silently coerced.
 * Text may not carry control characters other than tab and line breaks: they have no place in names or
 * reasons, they garble logs and terminals, and PostgreSQL cannot store U+0000 at all.
 */
@Singleton
public class StrictJson implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.registerModule(new SimpleModule("twostep-text").addDeserializer(String.class, new PrintableText()));
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
