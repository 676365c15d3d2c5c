package dev.twostep.cli.log;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code twostep log --since}: a time, or a duration back from now. */
class SinceParserTest {

    private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");

    @Test
    void noSinceMeansTheWholeLog() {
        assertThat(SinceParser.parse(null, NOW)).isNull();
    }

    @Test
    void aDurationCountsBackFromNowInSecondsMinutesHoursOrDays() {
        assertThat(SinceParser.parse("90s", NOW)).isEqualTo("2026-11-29T11:58:30Z");
        assertThat(SinceParser.parse("10m", NOW)).isEqualTo("2026-11-29T11:50:00Z");
        assertThat(SinceParser.parse("2h", NOW)).isEqualTo("2026-11-29T10:00:00Z");
        assertThat(SinceParser.parse("1d", NOW)).isEqualTo("2026-11-28T12:00:00Z");
        assertThat(SinceParser.parse("0s", NOW)).isEqualTo(NOW);
    }

    @Test
    void anRfc3339TimeIsTakenAsItIs() {
        assertThat(SinceParser.parse("2026-11-22T10:00:00Z", NOW)).isEqualTo("2026-11-22T10:00:00Z");
        assertThat(SinceParser.parse("2026-11-22T10:00:00.250Z", NOW)).isEqualTo("2026-11-22T10:00:00.250Z");
    }

    @ParameterizedTest
    @ValueSource(strings = {"yesterday", "10", "m", "-5m", "10 m", "10w", "2026-11-22", "2026-11-22 10:00:00"})
    void anythingElseIsRefusedWithTheFormsItMayTake(String since) {
        assertThatThrownBy(() -> SinceParser.parse(since, NOW)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--since must be an RFC 3339 time (2026-11-22T10:00:00Z) or a duration back from now"
                        + " (90s, 10m, 2h, 1d), not " + since);
    }
}
