package io.reprise.audit;

/**
 * One check of the audit.
 *
 * @param id stable identifier (the SARIF rule id), e.g. {@code env.lock}
 * @param points its share of the category's score, relative to the category's other rules
 * @param title what a passing repository has
 * @param why why it matters for reproducing a result
 * @param fix how to fix it in general (a finding may say more precisely)
 */
record Rule(String id, Category category, double points, Severity severity, String title, String why, String fix) {}
