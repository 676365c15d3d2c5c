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

/** A version as CI systems write it: anything without whitespace; SemVer is ordered as SemVer, the rest by publish time. */
@NotBlank
@Pattern(regexp = ArtefactVersion.PATTERN, message = ArtefactVersion.MESSAGE)
@Constraint(validatedBy = {})
@Target({FIELD, METHOD, PARAMETER, TYPE_USE, ANNOTATION_TYPE})
@Retention(RUNTIME)
@Documented
public @interface ArtefactVersion {

    String PATTERN = "\\S{1,128}";

    /** What a refused value is told: by this constraint, and wherever the pattern is checked by hand. */
    String MESSAGE = "must not be empty or contain whitespace (at most 128 characters)";

    String message() default MESSAGE;

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
