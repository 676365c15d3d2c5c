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

/** An artefact name, as a registry would accept it in a repository path. */
@NotBlank
@Pattern(regexp = ArtefactName.PATTERN, message = ArtefactName.MESSAGE)
@Constraint(validatedBy = {})
@Target({FIELD, METHOD, PARAMETER, TYPE_USE, ANNOTATION_TYPE})
@Retention(RUNTIME)
@Documented
public @interface ArtefactName {

    String PATTERN = "[A-Za-z0-9][A-Za-z0-9._/-]{0,199}";

    /** What a refused value is told: by this constraint, and wherever the pattern is checked by hand. */
    String MESSAGE = "must start with a letter or digit and use only letters, digits and . _ / - (at most 200)";

    String message() default MESSAGE;

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
