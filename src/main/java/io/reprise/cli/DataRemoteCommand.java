package io.reprise.cli;

import io.reprise.data.DataRepo;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "remote",
        mixinStandardHelpOptions = true,
        description = {
            "Manages remotes in .dvc/config: local folders, s3://bucket/path, and http(s):// URLs (read-only).",
            "S3 remotes read endpointurl, region, profile, access_key_id, secret_access_key and session_token",
            "(set them with 'remote modify'; keep keys in config.local with --local), else the AWS_* variables."
        })
final class DataRemoteCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(
            name = "add",
            mixinStandardHelpOptions = true,
            description = "Adds a remote; a relative path is stored relative to .dvc/, as dvc stores it.")
    static final class Add implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME", description = "Remote name.")
        String name;

        @Parameters(
                index = "1",
                paramLabel = "URL",
                description = "A folder, s3://bucket/path, or http(s)://host/path (fetch and pull only).")
        String url;

        @Option(
                names = {"-d", "--default"},
                description = "Also make it the default remote.")
        boolean makeDefault;

        @Option(
                names = {"-f", "--force"},
                description = "Overwrite an existing remote of that name.")
        boolean force;

        @Override
        public Integer call() throws Exception {
            return DataCli.run(spec, () -> {
                try (DataRepo repo = DataRepo.open(DataCli.cwd(spec), 1)) {
                    repo.remoteAdd(name, url, makeDefault, force);
                    if (makeDefault) {
                        spec.commandLine().getOut().println("Setting '" + name + "' as a default remote.");
                    }
                }
                return ExitCodes.OK;
            });
        }
    }

    @Command(
            name = "modify",
            mixinStandardHelpOptions = true,
            description = {
                "Sets a remote's option, as 'dvc remote modify' does, e.g.:",
                "  reprise data remote modify store endpointurl http://minio:9000",
                "  reprise data remote modify --local store secret_access_key ..."
            })
    static final class Modify implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME", description = "Remote name.")
        String name;

        @Parameters(index = "1", paramLabel = "OPTION", description = "Option, e.g. endpointurl, region, profile.")
        String option;

        @Parameters(index = "2", arity = "0..1", paramLabel = "VALUE", description = "New value.")
        String value;

        @Option(
                names = {"-u", "--unset"},
                description = "Remove the option instead.")
        boolean unset;

        @Option(
                names = "--local",
                description = "Write to .dvc/config.local (not committed: the place for credentials).")
        boolean local;

        @Override
        public Integer call() throws Exception {
            if (value == null && !unset) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(), "Missing VALUE (or pass --unset to remove the option)");
            }
            return DataCli.run(spec, () -> {
                try (DataRepo repo = DataRepo.open(DataCli.cwd(spec), 1)) {
                    repo.remoteModify(name, option, unset ? null : value, local);
                }
                return ExitCodes.OK;
            });
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists remotes: name, url, (default).")
    static final class ListRemotes implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            return DataCli.run(spec, () -> {
                try (DataRepo repo = DataRepo.open(DataCli.cwd(spec), 1)) {
                    String def = repo.defaultRemote();
                    repo.remoteUrls()
                            .forEach((n, url) -> spec.commandLine()
                                    .getOut()
                                    .println(
                                            DataCli.expandTabs(n + "\t" + url + (n.equals(def) ? "\t(default)" : ""))));
                }
                return ExitCodes.OK;
            });
        }
    }

    @Command(
            name = "default",
            mixinStandardHelpOptions = true,
            description = "Shows the default remote, or sets it (or unsets it with --unset).")
    static final class Default implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(arity = "0..1", paramLabel = "NAME", description = "Remote to make the default.")
        String name;

        @Option(names = "--unset", description = "Clear the default remote.")
        boolean unset;

        @Override
        public Integer call() throws Exception {
            return DataCli.run(spec, () -> {
                try (DataRepo repo = DataRepo.open(DataCli.cwd(spec), 1)) {
                    if (name == null && !unset) {
                        String def = repo.defaultRemote();
                        spec.commandLine().getOut().println(def == null ? "No default remote set" : def);
                        return def == null ? 1 : ExitCodes.OK;
                    }
                    repo.remoteDefault(unset ? null : name);
                }
                return ExitCodes.OK;
            });
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Removes a remote from .dvc/config.")
    static final class Remove implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME", description = "Remote to remove.")
        String name;

        @Override
        public Integer call() throws Exception {
            return DataCli.run(spec, () -> {
                try (DataRepo repo = DataRepo.open(DataCli.cwd(spec), 1)) {
                    repo.remoteRemove(name);
                }
                return ExitCodes.OK;
            });
        }
    }
}
