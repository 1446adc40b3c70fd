package dev.holdfast.testkit.audit;

/** A judge's decision on one run of a test, with what it saw in words. */
record Judgement(Verdict verdict, String detail) {

    static Judgement anomaly(String detail) {
        return new Judgement(Verdict.ANOMALY, detail);
    }

    static Judgement prevented(String detail) {
        return new Judgement(Verdict.PREVENTED, detail);
    }
}
