package io.reprise.cli;

import io.reprise.check.RunGate;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = "Passes when the run exists, has FINISHED, and is compliant under the server's policy.")
final class CheckRunCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    CheckOptions options;

    @Parameters(paramLabel = "RUN_ID", description = "The run's id (32 hex digits).")
    String runId;

    @Override
    public Integer call() {
        return options.run(spec.commandLine(), () -> tracking -> RunGate.check(tracking, runId));
    }
}
