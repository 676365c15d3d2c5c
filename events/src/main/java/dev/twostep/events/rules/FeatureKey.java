package dev.twostep.events.rules;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

import static java.lang.annotation.ElementType.ANNOTATION_TYPE;
import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.ElementType.TYPE_USE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

/** A feature key, as artefacts list it and OpenFeature clients evaluate it. */
@NotBlank
@Pattern(regexp = FeatureKey.PATTERN, message = FeatureKey.MESSAGE)
@Constraint(validatedBy = {})
@Target({FIELD, METHOD, PARAMETER, TYPE_USE, ANNOTATION_TYPE})
@Retention(RUNTIME)
@Documented
public @interface FeatureKey {

    String PATTERN = "[A-Za-z0-9][A-Za-z0-9._-]{0,199}";

    /** What a refused value is told: by this constraint, and wherever the pattern is checked by hand. */
    String MESSAGE = "must be a feature key: letters, digits and . _ -, starting with a letter or digit (at most 200)";

    String message() default MESSAGE;

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
