package dev.twostep.releasecontroller.feature;

import com.fasterxml.jackson.databind.JsonNode;
import dev.twostep.releasecontroller.feature.Targeting.Choice;
import dev.twostep.releasecontroller.feature.Targeting.Facts;
import dev.twostep.releasecontroller.release.Bucketing;

import java.util.Set;

/**
 * The nodes a targeting compiles into, the evaluating side of {@link Targeting}: each reads the facts, and the
 * release's bucketing where a split decides, and allocates nothing but what a comparison needs. They trust what
 * {@link TargetingCompiler} checked, so none of them validates or parses.
 */
final class Evaluators {

    private Evaluators() {
    }

    /** A result position: the variant chosen, or null for no match (the default variant). */
    interface Result {
        Choice choose(Facts facts, Bucketing bucketing);
    }

    interface Condition {
        boolean test(Facts facts);
    }

    /** An operand: a context attribute or a literal (a String, Double or Boolean), null when absent. */
    interface Value {
        Object of(Facts facts);
    }

    /** A variant name, or null (no match), whatever the facts. */
    record Fixed(Choice choice) implements Result {
        @Override
        public Choice choose(Facts facts, Bucketing bucketing) {
            return choice;
        }
    }

    /** {@code if}: the branch of the first condition that holds, else {@code otherwise}. */
    record FirstMatch(Condition[] conditions, Result[] branches, Result otherwise) implements Result {
        @Override
        public Choice choose(Facts facts, Bucketing bucketing) {
            for (int i = 0; i < conditions.length; i++) {
                if (conditions[i].test(facts)) {
                    return branches[i].choose(facts, bucketing);
                }
            }
            return otherwise.choose(facts, bucketing);
        }
    }

    /**
     * {@code fractional}: the bucketing puts a user in the first variant whose running share exceeds the user's
     * bucket; where it puts the user in none (the legacy scheme's float rounding), nothing matched.
     */
    record Split(Choice[] choices, long[] weights) implements Result {
        @Override
        public Choice choose(Facts facts, Bucketing bucketing) {
            if (facts.targetingKey() == null || facts.targetingKey().isEmpty()) {
                throw new Targeting.TargetingKeyMissing(facts.flagKey());
            }
            int chosen = bucketing.variantOf(facts.flagKey(), facts.targetingKey(), weights);
            return chosen == Bucketing.NONE ? null : choices[chosen];
        }
    }

    record Constant(boolean holds) implements Condition {
        @Override
        public boolean test(Facts facts) {
            return holds;
        }
    }

    /** {@code ==} and {@code !=}, with JsonLogic's loose equality. */
    record Equality(Value left, Value right, boolean equal) implements Condition {
        @Override
        public boolean test(Facts facts) {
            return Values.looselyEqual(left.of(facts), right.of(facts)) == equal;
        }
    }

    /** {@code < <= > >=} over numbers or numeric strings; {@code <} and {@code <=} also as between, with three. */
    record Ordered(Value[] operands, boolean less, boolean strict) implements Condition {
        @Override
        public boolean test(Facts facts) {
            double previous = Double.NaN;
            for (int i = 0; i < operands.length; i++) {
                Double current = Values.orderable(operands[i].of(facts));
                if (current == null) {
                    return false;
                }
                if (i > 0) {
                    int order = Double.compare(previous, current);
                    boolean holds = less ? (strict ? order < 0 : order <= 0) : (strict ? order > 0 : order >= 0);
                    if (!holds) {
                        return false;
                    }
                }
                previous = current;
            }
            return true;
        }
    }

    /** {@code in} a list of literals; numbers compare as doubles. */
    record Member(Value needle, Set<Object> members) implements Condition {
        @Override
        public boolean test(Facts facts) {
            Object found = needle.of(facts);
            return found != null && members.contains(found instanceof Number n ? n.doubleValue() : found);
        }
    }

    /** {@code in} a string: a substring. */
    record Substring(Value needle, Value text) implements Condition {
        @Override
        public boolean test(Facts facts) {
            return needle.of(facts) instanceof String part && text.of(facts) instanceof String whole
                    && whole.contains(part);
        }
    }

    /** {@code starts_with} and {@code ends_with}. */
    record Affix(Value subject, Value affix, boolean starts) implements Condition {
        @Override
        public boolean test(Facts facts) {
            return subject.of(facts) instanceof String s && affix.of(facts) instanceof String a
                    && (starts ? s.startsWith(a) : s.endsWith(a));
        }
    }

    record SemVerMatch(Value subject, String operator, SemVer version) implements Condition {
        @Override
        public boolean test(Facts facts) {
            return subject.of(facts) instanceof String text && SemVer.parse(text) instanceof SemVer actual
                    && actual.satisfies(operator, version);
        }
    }

    /** {@code and} (every part holds) or {@code or} (some part holds), stopping at the first part that decides. */
    record Junction(Condition[] parts, boolean every) implements Condition {
        @Override
        public boolean test(Facts facts) {
            for (Condition part : parts) {
                if (part.test(facts) != every) {
                    return !every;
                }
            }
            return every;
        }
    }

    record Not(Condition inner) implements Condition {
        @Override
        public boolean test(Facts facts) {
            return !inner.test(facts);
        }
    }

    /** A {@code var} as a condition: JsonLogic's truthiness. */
    record Truthy(Value value) implements Condition {
        @Override
        public boolean test(Facts facts) {
            return Values.truthy(value.of(facts));
        }
    }

    record Literal(Object value) implements Value {
        @Override
        public Object of(Facts facts) {
            return value;
        }
    }

    /** A context attribute, {@code a.b} for nested: the steps of its path. */
    record Attribute(String[] steps) implements Value {
        @Override
        public Object of(Facts facts) {
            JsonNode at = facts.attributes();
            for (String step : steps) {
                if (at == null) {
                    return null;
                }
                at = at.get(step);
            }
            return Values.of(at);
        }
    }
}
