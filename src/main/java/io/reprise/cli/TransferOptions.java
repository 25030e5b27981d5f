package io.reprise.cli;

import picocli.CommandLine.Option;

/** The targets, remote and parallelism that push, fetch, pull and status -c share, as dvc's do. */
final class TransferOptions extends WorkspaceOptions {
    @Option(
            names = {"-r", "--remote"},
            description = "Remote to use (default: core.remote).")
    String remote;
}
