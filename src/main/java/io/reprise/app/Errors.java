package io.reprise.app;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.reprise.model.ErrorCode;
import io.reprise.model.MlflowException;
import org.eclipse.jetty.io.EofException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps every failure inside Javalin to MLflow's JSON error with the right status: the code an
 * {@link MlflowException} carries, Javalin's own 404/405/413, and a bare 500 for anything else,
 * logged here and never shown to the client (no stack traces, no exception messages).
 */
final class Errors {
    private static final Logger LOG = LoggerFactory.getLogger(Errors.class);

    private Errors() {}

    static void mount(Javalin app, long maxBody) {
        app.exception(MlflowException.class, (e, ctx) -> send(ctx, e.code().httpStatus(), e.code(), e.getMessage()));
        app.exception(HttpResponseException.class, (e, ctx) -> httpError(ctx, e, maxBody));
        app.exception(Exception.class, Errors::unexpected);
        app.error(404, ctx -> {
            if (ctx.result() == null) {
                send(ctx, 404, ErrorCode.ENDPOINT_NOT_FOUND, "No endpoint " + ctx.method() + " " + ctx.path());
            }
        });
    }

    private static void httpError(Context ctx, HttpResponseException e, long maxBody) {
        int status = e.getStatus();
        String message = e.getMessage();
        if (status == 405) {
            String allowed = String.join(", ", e.getDetails().values());
            ctx.header("Allow", allowed);
            message = "Method " + ctx.method() + " is not allowed on " + ctx.path()
                    + (allowed.isEmpty() ? "" : "; use " + allowed);
        } else if (status == 413) {
            // the client may still be sending: close rather than read the rest of a huge body
            ctx.header("Connection", "close");
            message = RequestBodyGuard.tooLargeMessage(maxBody);
        }
        send(ctx, status, ErrorBodies.codeFor(status), message);
    }

    private static void unexpected(Exception e, Context ctx) {
        if (e instanceof EofException || e.getCause() instanceof EofException) {
            // the client hung up; there is nobody to answer
            LOG.warn("Client went away during {} {}: {}", ctx.method(), ctx.path(), e.toString());
            return;
        }
        LOG.error("Unexpected failure on {} {}", ctx.method(), ctx.path(), e);
        send(
                ctx,
                500,
                ErrorCode.INTERNAL_ERROR,
                "Internal error: " + e.getClass().getSimpleName() + ". The server log has the details.");
    }

    static void send(Context ctx, int status, ErrorCode code, String message) {
        ctx.status(status).contentType("application/json").result(ErrorBodies.json(code, message));
    }
}
