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

/** A commit id, abbreviated or full: Git SHA-1 or SHA-256. */
@NotBlank
@Pattern(regexp = CommitSha.PATTERN, message = CommitSha.MESSAGE)
@Constraint(validatedBy = {})
@Target({FIELD, METHOD, PARAMETER, TYPE_USE, ANNOTATION_TYPE})
@Retention(RUNTIME)
@Documented
public @interface CommitSha {

    String PATTERN = "[0-9a-fA-F]{7,64}";

    /** What a refused value is told: by this constraint, and wherever the pattern is checked by hand. */
    String MESSAGE = "must be 7 to 64 hexadecimal characters";

    String message() default MESSAGE;

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
