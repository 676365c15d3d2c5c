package dev.twostep.outbox;

import dev.twostep.outbox.RelayCursor.Gap;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RelayCursorTest {

    private static final long NO_GAPS_TO_EXPIRE = Long.MIN_VALUE;

    @Test
    void aContiguousTailMovesTheCursorToItsLastPosition() {
        RelayCursor after = RelayCursor.at(10).after(List.of(11L, 12L, 13L), 100, NO_GAPS_TO_EXPIRE, () -> {
            throw new AssertionError("no gap, so no horizon is needed");
        });

        assertThat(after).isEqualTo(RelayCursor.at(13));
    }

    @Test
    void anEmptyReadLeavesTheCursorWhereItWas() {
        assertThat(RelayCursor.at(10).after(List.of(), 100, NO_GAPS_TO_EXPIRE, () -> 1)).isEqualTo(RelayCursor.at(10));
    }

    @Test
    void positionsPassedWithoutBeingSeenBecomeGapsWithTheHorizonTakenAfterTheRead() {
        RelayCursor after = RelayCursor.at(10).after(List.of(11L, 14L, 15L, 18L), 100, NO_GAPS_TO_EXPIRE, () -> 500);

        assertThat(after).isEqualTo(new RelayCursor(18, List.of(new Gap(12, 13, 500), new Gap(16, 17, 500))));
    }

    @Test
    void aLateCommitIsFoundInItsGapAndOnlyTheUnseenRestStays() {
        RelayCursor cursor = new RelayCursor(18, List.of(new Gap(12, 13, 500)));

        RelayCursor after = cursor.after(List.of(13L, 19L), 100, 400, () -> 600);

        assertThat(after).isEqualTo(new RelayCursor(19, List.of(new Gap(12, 12, 500))));
    }

    @Test
    void aGapIsForgottenOnlyOnceEveryTransactionOlderThanItsHorizonHasEnded() {
        RelayCursor cursor = new RelayCursor(18, List.of(new Gap(12, 13, 500)));

        assertThat(cursor.after(List.of(), 100, 500, () -> 600)).as("the writer may still be running")
                .isEqualTo(cursor);
        assertThat(cursor.after(List.of(), 100, 501, () -> 600)).as("the writer rolled back")
                .isEqualTo(RelayCursor.at(18));
    }

    @Test
    void aFullReadLooksOnlyUpToItsLastRowAndLeavesTheRestAsItWas() {
        RelayCursor cursor = new RelayCursor(10, List.of(new Gap(3, 8, 50)));

        RelayCursor after = cursor.after(List.of(5L, 6L), 2, 1_000, () -> 600);

        assertThat(after).as("3..4 looked at and empty with its writer gone; 7..8 not looked at yet; tail untouched")
                .isEqualTo(new RelayCursor(10, List.of(new Gap(7, 8, 50))));
    }

    @Test
    void aFullReadOfTheTailStopsTheCursorAtItsLastRow() {
        RelayCursor after = RelayCursor.at(10).after(List.of(11L, 12L, 14L), 3, NO_GAPS_TO_EXPIRE, () -> 500);

        assertThat(after).isEqualTo(new RelayCursor(14, List.of(new Gap(13, 13, 500))));
    }

    @Test
    void aGapCannotBeEmpty() {
        assertThatThrownBy(() -> new Gap(5, 4, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
