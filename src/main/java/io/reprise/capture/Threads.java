package io.reprise.capture;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The executor every capture task runs on: daemon platform threads, made as needed. Not virtual
 * threads: their socket I/O starts the JDK's poller threads, which sit in native code, and at exit
 * the JVM waits up to 300 ms for threads in native code to stop. That was a third of what
 * {@code reprise run} added to a command.
 */
final class Threads {
    static final ExecutorService POOL = Executors.newCachedThreadPool(
            Thread.ofPlatform().daemon().name("reprise-capture-", 0).factory());

    private Threads() {}
}
