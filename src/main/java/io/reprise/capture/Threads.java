package io.reprise.capture;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** The executor every capture task runs on: virtual threads, since the tasks mostly wait on I/O. */
final class Threads {
    static final ExecutorService POOL = Executors.newVirtualThreadPerTaskExecutor();

    private Threads() {}
}
