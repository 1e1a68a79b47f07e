package io.qshard.shard.binder;

import java.util.concurrent.atomic.AtomicBoolean;

/** A call that may block, run on its own thread; the test watches whether it has returned. Thread-safe. */
final class BlockingCall {
    /** The blocking call. */
    interface Body {
        void run() throws InterruptedException;
    }

    final Thread thread;
    private final AtomicBoolean returned = new AtomicBoolean();
    private final AtomicBoolean interrupted = new AtomicBoolean();

    private BlockingCall(Body body) {
        this.thread = new Thread(() -> {
            try {
                body.run();
                returned.set(true);
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
        });
    }

    /** Starts {@code body} on a new thread. */
    static BlockingCall start(Body body) {
        BlockingCall call = new BlockingCall(body);
        call.thread.start();
        return call;
    }

    /** Whether the call returned normally. */
    AtomicBoolean returned() {
        return returned;
    }

    /** Whether the call ended with an InterruptedException. */
    AtomicBoolean interrupted() {
        return interrupted;
    }
}
