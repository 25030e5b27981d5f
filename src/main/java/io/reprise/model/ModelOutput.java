package io.reprise.model;

/** A logged model a run produced, at a training step. */
public record ModelOutput(String modelId, long step) {}
