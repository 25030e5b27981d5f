package io.reprise.app;

import io.javalin.http.BadRequestResponse;
import io.javalin.http.ContentTooLargeResponse;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.IOException;
import java.util.List;

/**
 * Guards the reading of every request body except artifact uploads (which stream to disk and handle
 * their own read errors).
 *
 * <ul>
 *   <li>Caps its size. Javalin checks a declared Content-Length, but a chunked body has none and would
 *       be read whole into memory; this counts the bytes as they arrive.
 *   <li>Turns a body that cannot be read (bad chunked encoding, cut short) into a 400. Javalin takes
 *       Jetty's EofException for a client that hung up and answers an empty 500 without asking us.
 * </ul>
 */
final class RequestBodyGuard implements Filter {
    private final long maxBytes;
    private final List<String> unlimitedPutPrefixes;

    RequestBodyGuard(long maxBytes, List<String> unlimitedPutPrefixes) {
        this.maxBytes = maxBytes;
        this.unlimitedPutPrefixes = unlimitedPutPrefixes;
    }

    static String tooLargeMessage(long maxBytes) {
        return "The request body is larger than the limit of " + maxBytes + " bytes";
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest http = (HttpServletRequest) request;
        chain.doFilter(isUnlimited(http) ? http : new Limited(http, maxBytes), response);
    }

    private boolean isUnlimited(HttpServletRequest request) {
        String uri = request.getRequestURI();
        return "PUT".equals(request.getMethod())
                && unlimitedPutPrefixes.stream().anyMatch(p -> uri.startsWith(p + "/"));
    }

    private static final class Limited extends HttpServletRequestWrapper {
        private final long maxBytes;
        private ServletInputStream stream;

        Limited(HttpServletRequest request, long maxBytes) {
            super(request);
            this.maxBytes = maxBytes;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                stream = new CountingStream(super.getInputStream(), maxBytes);
            }
            return stream;
        }
    }

    private static final class CountingStream extends ServletInputStream {
        private final ServletInputStream in;
        private final long maxBytes;
        private long count;

        CountingStream(ServletInputStream in, long maxBytes) {
            this.in = in;
            this.maxBytes = maxBytes;
        }

        @Override
        public int read() throws IOException {
            int b;
            try {
                b = in.read();
            } catch (IOException e) {
                throw unreadable(e);
            }
            if (b >= 0) {
                counted(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n;
            try {
                n = in.read(buf, off, len);
            } catch (IOException e) {
                throw unreadable(e);
            }
            if (n > 0) {
                counted(n);
            }
            return n;
        }

        private static BadRequestResponse unreadable(IOException e) {
            return new BadRequestResponse("The request body could not be read (" + e.getMessage()
                    + "): it was cut short or its chunked encoding is broken");
        }

        private void counted(int n) {
            count += n;
            if (count > maxBytes) {
                throw new ContentTooLargeResponse(tooLargeMessage(maxBytes));
            }
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }
    }
}
