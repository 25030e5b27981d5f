package io.reprise.cli;

import io.reprise.audit.AuditException;
import io.reprise.audit.ProjectInit;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "init",
        mixinStandardHelpOptions = true,
        description = {
            "Creates a new project that 'reprise audit' scores 100: a training package reading confs/train.yaml,"
                    + " an MLproject, a locked (hash-checked) requirements.txt, .python-version, seeds, data tracked"
                    + " with reprise data, tests, GitHub and GitLab CI running them and Reprise's gates, a PR"
                    + " template, a README and .reprise/config.toml naming the team's server.",
            "The folder is made a git repository with a first commit. DIR must not exist or be empty."
        })
final class InitCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(
            index = "0",
            arity = "0..1",
            paramLabel = "DIR",
            description = "The new project's folder (default: the current folder, if empty).")
    Path dir;

    @Option(
            names = "--template",
            defaultValue = "python",
            paramLabel = "NAME",
            description = "The kind of project: python (default).")
    String template;

    @Option(
            names = "--name",
            paramLabel = "NAME",
            description = "Project and experiment name (default: the folder's name).")
    String name;

    @Option(
            names = "--tracking-uri",
            paramLabel = "URL",
            description = "The team's Reprise server, written to .reprise/config.toml (default: $MLFLOW_TRACKING_URI,"
                    + " else http://127.0.0.1:5000).")
    String trackingUri;

    @Option(
            names = "--python",
            defaultValue = "3.12",
            paramLabel = "X.Y",
            description = "The Python version to pin (default: ${DEFAULT-VALUE}).")
    String python;

    @Option(
            names = "--data-remote",
            paramLabel = "URL",
            description = "The default data remote, e.g. s3://BUCKET/NAME (default: a folder on this machine,"
                    + " $XDG_DATA_HOME or ~/.local/share, then reprise/remotes/NAME; replace it with the team's"
                    + " storage to share data).")
    String dataRemote;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        String uri = trackingUri != null ? trackingUri : System.getenv("MLFLOW_TRACKING_URI");
        if (uri == null || uri.isBlank()) {
            uri = "http://127.0.0.1:5000";
        }
        if (AuditCli.httpUri(uri) == null || uri.contains("\"")) { // it goes into a TOML string
            return AuditCli.usage(spec, "--tracking-uri must be http(s)://HOST:PORT, not '" + uri + "'");
        }
        try {
            ProjectInit.Created c = ProjectInit.create(
                    dir == null ? Path.of("") : dir, new ProjectInit.Options(template, name, uri, python, dataRemote));
            out.println("Created project '" + c.name() + "' in " + c.dir() + " ("
                    + c.files().size() + " files"
                    + (c.commit() == null
                            ? ", not committed"
                            : ", first commit " + c.commit().substring(0, 12)) + ")");
            if (c.note() != null) {
                out.println("note: " + c.note());
            }
            out.println("Next:");
            out.println("  cd " + c.dir());
            out.println("  make setup && make test       # environment from the lock file, then the tests");
            out.println("  reprise data push              # the data version, to " + c.dataRemote());
            out.println("  make train                     # a recorded run on " + uri);
            out.println("  reprise audit                  # 100/100");
            if (c.localRemote()) {
                out.println("The data remote is a folder on this machine; for the team, point it at shared storage:");
                out.println("  reprise data remote modify storage url s3://BUCKET/" + c.name());
            }
            out.flush();
            return ExitCodes.OK;
        } catch (AuditException e) {
            return AuditCli.failed(spec, e, ExitCodes.USAGE);
        }
    }
}
