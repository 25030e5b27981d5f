package io.reprise.model;

/** A run parameter: once logged, its value never changes. */
public record Param(String key, String value) {}
