package dev.twostep.releasecontroller.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.twostep.problems.ProblemException;

import java.io.IOException;

/**
 * Reads a flag definition or a segment as a JSON tree, refusing what is not worth parsing further: a body over
 * {@link #MAX_BYTES} or one that is not JSON (400, naming the document's root). The rules of the subset are
 * checked later, in {@code feature}, where each refusal names its JSON Pointer.
 */
final class Definitions {

    static final int MAX_BYTES = 64 * 1024;

    private Definitions() {
    }

    static JsonNode read(ObjectMapper json, byte[] body) {
        if (body == null || body.length == 0) {
            throw ProblemException.invalid("/", "a JSON document is required");
        }
        if (body.length > MAX_BYTES) {
            throw ProblemException.invalid("/", "at most " + MAX_BYTES + " bytes");
        }
        try {
            return json.readTree(body);
        } catch (JsonProcessingException e) {
            throw ProblemException.invalid("/", "not JSON (or nested deeper than a parser accepts): "
                    + e.getOriginalMessage());
        } catch (IOException e) {
            throw ProblemException.invalid("/", "unreadable body");
        }
    }
}
