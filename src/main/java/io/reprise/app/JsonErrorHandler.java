package io.reprise.app;

import io.reprise.model.ErrorCode;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;

/**
 * Jetty's own error answers (a request line it cannot parse, an illegal character or escape in the
 * URI, headers or URI too long, a failure outside Javalin) as MLflow JSON instead of an HTML page, and
 * never with a stack trace. The MLflow client reads the error code from a JSON body.
 */
final class JsonErrorHandler extends ErrorHandler {
    JsonErrorHandler() {
        setShowStacks(false);
        setShowServlet(false);
    }

    /** Requests Jetty rejects before any handler runs. */
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, "application/json");
        return ByteBuffer.wrap(ErrorBodies.bytes(ErrorBodies.codeFor(status), describe(status, reason)));
    }

    /** Errors Jetty raises while dispatching (sendError, an exception escaping the servlet). */
    @Override
    public void handle(String target, Request baseRequest, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        baseRequest.setHandled(true);
        int status = response.getStatus();
        Object message = request.getAttribute(RequestDispatcher.ERROR_MESSAGE);
        String reason = status >= 500 || message == null ? null : message.toString();
        response.setContentType("application/json");
        response.setHeader(HttpHeader.CACHE_CONTROL.asString(), "no-store");
        response.getOutputStream().write(ErrorBodies.bytes(ErrorBodies.codeFor(status), describe(status, reason)));
    }

    private static String describe(int status, String reason) {
        String text = HttpStatus.getMessage(status);
        String what = ErrorBodies.codeFor(status) == ErrorCode.INTERNAL_ERROR ? "Server error: " : "Bad HTTP request: ";
        return reason == null || reason.isBlank() || reason.equals(text)
                ? what + text
                : what + text + " (" + reason + ")";
    }
}
