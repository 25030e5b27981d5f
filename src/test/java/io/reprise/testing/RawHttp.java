package io.reprise.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, byte for byte as given: no client library normalises, encodes or
 * refuses the request target, so tests can send exactly what an attacker would.
 */
public final class RawHttp {
    private static final int TIMEOUT_MS = 30_000;

    private RawHttp() {}

    /** A response: status, headers (names lower-cased) and the body as UTF-8 text. */
    public record Reply(int status, Map<String, String> headers, String body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** {@code METHOD target HTTP/1.1} with the body (may be empty); the target goes out as Latin-1 bytes. */
    public static Reply request(int port, String method, String target, byte[] body) {
        String head = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                + "Content-Length: " + body.length + "\r\n\r\n";
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        raw.writeBytes(head.getBytes(StandardCharsets.ISO_8859_1));
        raw.writeBytes(body);
        return exchange(port, raw.toByteArray());
    }

    /** Sends the bytes as they are, then reads the response until the server closes the connection. */
    public static Reply exchange(int port, byte[] rawRequest) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(TIMEOUT_MS);
            OutputStream out = socket.getOutputStream();
            out.write(rawRequest);
            out.flush();
            return parse(socket.getInputStream().readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Like {@link #exchange} but then ends the sending side, as a client that sent a truncated body. */
    public static Reply exchangeThenHalfClose(int port, byte[] rawRequest) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(TIMEOUT_MS);
            socket.getOutputStream().write(rawRequest);
            socket.getOutputStream().flush();
            socket.shutdownOutput();
            return parse(socket.getInputStream().readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Sends {@code head} then {@code bodyBytes} filler bytes (as chunks when {@code chunked}) from
     * another thread while reading the response, as a real client does: a server may answer, and
     * close, before the body is all sent, which is then not an error.
     */
    public static Reply streamed(int port, String head, long bodyBytes, boolean chunked) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(TIMEOUT_MS);
            OutputStream out = socket.getOutputStream();
            Thread writer = Thread.ofVirtual().start(() -> writeFiller(out, head, bodyBytes, chunked));
            Reply reply = parse(socket.getInputStream().readAllBytes());
            writer.join();
            return reply;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void writeFiller(OutputStream out, String head, long bodyBytes, boolean chunked) {
        byte[] chunk = new byte[64 * 1024];
        java.util.Arrays.fill(chunk, (byte) 'a');
        try {
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            for (long sent = 0; sent < bodyBytes; sent += chunk.length) {
                if (chunked) {
                    out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                }
                out.write(chunk);
                if (chunked) {
                    out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                }
            }
            if (chunked) {
                out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            }
            out.flush();
        } catch (IOException e) {
            // the server answered and closed before taking the whole body: allowed
        }
    }

    /** Opens a connection and sends only the start of a request; the caller finishes or drops it. */
    public static Socket begin(int port, byte[] partialRequest) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(TIMEOUT_MS);
        socket.getOutputStream().write(partialRequest);
        socket.getOutputStream().flush();
        return socket;
    }

    /** Reads a whole response from a socket opened by {@link #begin}. */
    public static Reply finish(Socket socket) throws IOException {
        try (socket) {
            return parse(socket.getInputStream().readAllBytes());
        }
    }

    static Reply parse(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            throw new IllegalStateException("No complete HTTP response: " + text);
        }
        String[] lines = text.substring(0, end).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(
                    lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    lines[i].substring(colon + 1).trim());
        }
        byte[] body = java.util.Arrays.copyOfRange(bytes, end + 4, bytes.length);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = dechunked(body);
        }
        return new Reply(status, headers, new String(body, StandardCharsets.UTF_8));
    }

    private static byte[] dechunked(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = new java.io.ByteArrayInputStream(body)) {
            while (true) {
                String sizeLine = line(in);
                int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
                if (size == 0) {
                    return out.toByteArray();
                }
                out.write(in.readNBytes(size));
                line(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }
}
