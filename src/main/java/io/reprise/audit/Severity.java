package io.reprise.audit;

/** How much a finding threatens reproducibility; SARIF calls these levels error, warning, note. */
enum Severity {
    HIGH("error"),
    MEDIUM("warning"),
    LOW("note");

    final String sarifLevel;

    Severity(String sarifLevel) {
        this.sarifLevel = sarifLevel;
    }
}
