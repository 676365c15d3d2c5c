package dev.twostep.cli.demo;

import java.io.PrintStream;
import java.time.Clock;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** The story as it happens, one line per fact: the time, what kind of fact, and what it says. */
public final class Timeline {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final PrintStream out;
    private final Clock clock;

    public Timeline(PrintStream out, Clock clock) {
        this.out = out;
        this.clock = clock;
    }

    public synchronized void say(String kind, String text) {
        out.printf("%s  %-9s %s%n", LocalTime.now(clock.withZone(ZoneId.systemDefault())).format(TIME), kind, text);
    }

    public synchronized void heading(String text) {
        out.println();
        out.println("== " + text);
    }
}
