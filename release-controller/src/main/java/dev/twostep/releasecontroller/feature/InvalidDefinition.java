package dev.twostep.releasecontroller.feature;

/**
 * A flag definition or segment that Twostep does not accept: {@code path} is the JSON Pointer (RFC 6901) of the
 * offending node inside the submitted document, {@code rule} says which rule it breaks, naming the operation.
 */
public final class InvalidDefinition extends RuntimeException {

    private final String path;
    private final String rule;

    public InvalidDefinition(String path, String rule) {
        super(path + ": " + rule);
        this.path = path.isEmpty() ? "/" : path;
        this.rule = rule;
    }

    public String path() {
        return path;
    }

    public String rule() {
        return rule;
    }
}
