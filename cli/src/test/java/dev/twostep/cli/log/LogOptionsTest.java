package dev.twostep.cli.log;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintStream;
import java.io.OutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The filters {@code twostep log} takes reach the command as typed. */
class LogOptionsTest {

    @Test
    void everyFilterAndSwitchIsRead() {
        LogCommand log = new LogCommand(new PrintStream(OutputStream.nullOutputStream()));

        new CommandLine(log).parseArgs("--follow", "--since", "10m", "--feature", "new-payment-form", "--env", "prod",
                "--app", "checkout", "--correlation", "c-42", "--json", "--bootstrap-servers", "kafka:9092");

        assertThat(log.follow).isTrue();
        assertThat(log.json).isTrue();
        assertThat(log.since).isEqualTo("10m");
        assertThat(log.feature).isEqualTo("new-payment-form");
        assertThat(log.environment).isEqualTo("prod");
        assertThat(log.application).isEqualTo("checkout");
        assertThat(log.correlation).isEqualTo("c-42");
        assertThat(log.bootstrapServers).isEqualTo("kafka:9092");
    }

    @Test
    void withoutFiltersItReadsTheWholeLogOnce() {
        LogCommand log = new LogCommand(new PrintStream(OutputStream.nullOutputStream()));

        new CommandLine(log).parseArgs();

        assertThat(log.follow).isFalse();
        assertThat(log.json).isFalse();
        assertThat(log.since).isNull();
        assertThat(log.feature).isNull();
        assertThat(log.environment).isNull();
        assertThat(log.application).isNull();
    }
}
