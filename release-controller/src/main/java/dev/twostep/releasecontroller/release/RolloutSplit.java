package dev.twostep.releasecontroller.release;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.twostep.events.ReleaseEvent.FeatureDefinitionSet;
import dev.twostep.refusals.Refused;

/**
 * How a rollout of a flag definition moves its treatment's share: the definition's targeting is kept, and where it
 * falls through to the default (the end of its {@code if}, or no targeting at all) a split is added,
 * {@code fractional [[treatment, p·1000], [control, 100000 − p·1000]]}. With weights in thousandths of a percent over
 * 100,000 a user's bucket is the one audiences use, and the treatment leads, so widening keeps everyone it had.
 */
final class RolloutSplit {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private RolloutSplit() {
    }

    /** The definition without the split a rollout added, if one did. */
    static JsonNode base(FeatureDefinitionSet set) {
        if (set.rolloutId() == null) {
            return set.definition();
        }
        ObjectNode copy = set.definition().deepCopy();
        JsonNode targeting = copy.path("targeting");
        if (targeting.has("fractional")) {
            copy.remove("targeting");
        } else if (targeting.has("if")) {
            ArrayNode rules = (ArrayNode) targeting.get("if");
            rules.remove(rules.size() - 1);
        }
        return copy;
    }

    /** The base with the treatment at {@code percentage}; refused when its targeting never falls through. */
    static JsonNode withShare(JsonNode base, String treatment, String control, double percentage) {
        int in = Bucketing.bucketsIn(percentage);
        ObjectNode split = NODES.objectNode();
        split.putArray("fractional").add(NODES.arrayNode().add(treatment).add(in))
                .add(NODES.arrayNode().add(control).add(Bucketing.BUCKETS - in));
        ObjectNode copy = base.deepCopy();
        JsonNode targeting = copy.path("targeting");
        if (targeting.isMissingNode() || targeting.isNull() || targeting.isObject() && targeting.isEmpty()) {
            copy.set("targeting", split);
            return copy;
        }
        if (targeting.has("if") && targeting.size() == 1) {
            ArrayNode rules = (ArrayNode) targeting.get("if");
            if (rules.size() % 2 == 0) {
                rules.add(split);
                return copy;
            }
            if (rules.get(rules.size() - 1).isNull()) {
                rules.set(rules.size() - 1, split);
                return copy;
            }
        }
        throw Refused.conflict("a rollout adds its split where the targeting falls "
                + "through to the default; this targeting decides for everyone (end its if with null, or without "
                + "an else)");
    }
}
