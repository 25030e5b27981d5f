package io.reprise.cli;

import io.reprise.check.PrGate;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "pr",
        mixinStandardHelpOptions = true,
        description = "Checks a pull-request description: the sections of templates/pull_request_template.md are"
                + " filled (Runs, Config, Data version, Results, Reproduce), every linked run exists on this server,"
                + " has FINISHED and is compliant, and every metric quoted under Results matches the run's value.")
final class CheckPrCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    CheckOptions options;

    @Option(
            names = "--body",
            required = true,
            paramLabel = "FILE",
            description = "The PR description (Markdown); '-' reads standard input.")
    String body;

    @Override
    public Integer call() {
        return options.run(spec.commandLine(), () -> {
            String text = read();
            return tracking -> PrGate.check(tracking, text);
        });
    }

    private String read() {
        try {
            if (body.equals("-")) {
                return new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
            }
            return Files.readString(Path.of(body), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new CheckOptions.Usage("--body: no such file: " + body);
        } catch (java.nio.charset.MalformedInputException e) {
            throw new CheckOptions.Usage("--body: " + body + " is not UTF-8 text");
        } catch (IOException e) {
            throw new CheckOptions.Usage("--body: cannot read " + body + ": " + e.getMessage());
        }
    }
}
