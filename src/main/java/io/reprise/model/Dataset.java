package io.reprise.model;

/** A dataset a run consumed; name and digest identify it within an experiment. */
public record Dataset(String name, String digest, String sourceType, String source, String schema, String profile) {}
