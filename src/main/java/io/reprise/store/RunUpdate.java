package io.reprise.store;

import io.reprise.model.RunStatus;

/** An update-run request: null fields stay as they are. */
public record RunUpdate(String runId, RunStatus status, Long endTime, String runName) {}
