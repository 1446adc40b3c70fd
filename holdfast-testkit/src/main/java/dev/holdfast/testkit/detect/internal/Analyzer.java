package dev.holdfast.testkit.detect.internal;

import dev.holdfast.testkit.detect.Catalogue;
import dev.holdfast.testkit.detect.RecordedTransaction;
import dev.holdfast.testkit.detect.Report;
import java.util.List;

/** The analysis: SQL facts per statement, then the findings. */
public final class Analyzer {
    private Analyzer() {
    }

    public static Report analyse(List<RecordedTransaction> recorded, Catalogue catalogue) {
        return new Report(List.of(), List.of(), recorded.size());
    }
}
