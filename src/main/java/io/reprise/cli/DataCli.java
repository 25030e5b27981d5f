package io.reprise.cli;

import io.reprise.data.DataException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;

/** What the {@code reprise data} commands share: error reporting, the working folder, summaries. */
final class DataCli {
    private DataCli() {}

    /** Runs {@code body}; a {@link DataException} becomes one line on stderr and exit code 2. */
    static int run(CommandLine.Model.CommandSpec spec, Callable<Integer> body) throws Exception {
        try {
            return body.call();
        } catch (DataException e) {
            PrintWriter err = spec.commandLine().getErr();
            err.println(name(spec) + ": " + e.getMessage());
            err.flush();
            return ExitCodes.USAGE;
        }
    }

    /** "reprise data add" for messages. */
    static String name(CommandLine.Model.CommandSpec spec) {
        return spec.qualifiedName(" ");
    }

    /** The folder to work in: -C DIR when given, else the process's working folder. */
    static Path cwd(CommandLine.Model.CommandSpec spec) {
        for (CommandLine.Model.CommandSpec s = spec; s != null; s = s.parent()) {
            if (s.userObject() instanceof DataCommand d && d.dir != null) {
                return d.dir.toAbsolutePath().normalize();
            }
            CommandLine.Model.OptionSpec c = s.findOption("-C");
            if (c != null && c.getValue() != null) {
                return ((Path) c.getValue()).toAbsolutePath().normalize();
            }
        }
        return Path.of("").toAbsolutePath();
    }

    /** Tabs expanded to 8-column stops, as dvc's terminal output (rich) prints them. */
    static String expandTabs(String line) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\t') {
                sb.append(" ".repeat(8 - sb.length() % 8));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** DVC's summary line: "3 files fetched and 1 file added". */
    static String summary(Map<String, Integer> counts) {
        StringBuilder sb = new StringBuilder();
        List<Map.Entry<String, Integer>> nonZero =
                counts.entrySet().stream().filter(e -> e.getValue() > 0).toList();
        for (Iterator<Map.Entry<String, Integer>> it = nonZero.iterator(); it.hasNext(); ) {
            Map.Entry<String, Integer> e = it.next();
            if (!sb.isEmpty()) {
                sb.append(it.hasNext() ? ", " : " and ");
            }
            sb.append(e.getValue())
                    .append(e.getValue() > 1 ? " files " : " file ")
                    .append(e.getKey());
        }
        return sb.isEmpty() ? "Everything is up to date." : sb.toString();
    }

    /** Lines like {@code A\tdata/}, added then modified, as dvc checkout prints them. */
    static void printChanges(PrintWriter out, Map<String, String> changes) {
        for (String kind : List.of("A", "M")) {
            changes.forEach((path, k) -> {
                if (k.equals(kind)) {
                    out.println(kind + "\t" + path);
                }
            });
        }
    }

    /** Fails when checkout left outputs alone: unsaved workspace changes, or objects missing. */
    static void checkoutProblems(io.reprise.data.DataRepo.CheckoutResult r, String missingHint) {
        if (!r.unsaved().isEmpty()) {
            throw new DataException("Can't remove the following unsaved files without confirmation. Use `--force` to"
                    + " force.\n" + String.join("\n", r.unsaved()));
        }
        if (!r.missing().isEmpty()) {
            throw incomplete("Checkout", r.missing(), missingHint);
        }
    }

    static DataException incomplete(String what, List<String> missing, String hint) {
        return new DataException(what + " failed for: " + String.join(", ", missing) + ". " + hint);
    }
}
