package io.reprise.cli;

import io.reprise.model.MlflowException;
import picocli.CommandLine;

/** Prints a failure as one line with its cause, not a stack trace (set REPRISE_DEBUG=1 for one). */
final class OneLineErrors implements CommandLine.IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        if (e instanceof CommandLine.ParameterException p) {
            cmd.getErr().println("reprise " + cmd.getCommandName() + ": " + p.getMessage());
            cmd.getErr().println("Try 'reprise " + cmd.getCommandName() + " --help' for the options.");
            return ExitCodes.USAGE;
        }
        String message = e instanceof MlflowException m ? m.getMessage() : describe(e);
        cmd.getErr().println("reprise " + cmd.getCommandName() + ": " + message);
        if (System.getenv("REPRISE_DEBUG") != null) {
            e.printStackTrace(cmd.getErr());
        }
        return e instanceof MlflowException ? ExitCodes.USAGE : ExitCodes.INTERNAL;
    }

    private static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder(String.valueOf(e.getMessage()));
        Throwable c = e.getCause();
        for (int depth = 0; c != null && depth < 10; depth++, c = c.getCause()) {
            if (c.getMessage() != null && !sb.toString().contains(c.getMessage())) {
                sb.append(": ").append(c.getMessage());
            }
        }
        return sb.toString();
    }
}
