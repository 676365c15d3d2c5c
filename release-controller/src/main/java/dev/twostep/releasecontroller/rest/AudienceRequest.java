package dev.twostep.releasecontroller.rest;

import dev.twostep.events.ReleaseEvent.Audience;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import java.math.BigDecimal;
import java.util.List;

/** Who sees a feature in an environment: a percentage in steps of 0.001 plus users who are always in. */
public record AudienceRequest(
        @NotNull(message = "is required") @DecimalMin("0") @DecimalMax("100") BigDecimal percentage,
        @Size(max = 10_000) List<@NotBlank @Size(max = 200) String> users,
        @NotBlank(message = "is required: say why") @Size(max = 1000) String reason) {

    Audience toAudience() {
        return new Audience(Percentages.check("percentage", percentage),
                users == null ? List.of() : users.stream().distinct().toList());
    }
}
