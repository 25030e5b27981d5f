package io.reprise.cli;

import io.reprise.check.ExperimentGate;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "experiment",
        mixinStandardHelpOptions = true,
        description = "Prints the share of compliant runs among the experiment's ended runs, and the worst"
                + " offenders. Passes when the share is at least --min-share.")
final class CheckExperimentCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    CheckOptions options;

    @Parameters(paramLabel = "NAME", description = "The experiment's name.")
    String name;

    @Option(
            names = "--min-share",
            defaultValue = "100",
            paramLabel = "PERCENT",
            description = "Compliant share (in %%) the gate requires (default: ${DEFAULT-VALUE}).")
    double minShare;

    @Override
    public Integer call() {
        return options.run(spec.commandLine(), () -> {
            if (!(minShare >= 0 && minShare <= 100)) {
                throw new CheckOptions.Usage("--min-share must be between 0 and 100, got " + minShare);
            }
            return tracking -> ExperimentGate.check(tracking, name, minShare / 100);
        });
    }
}
