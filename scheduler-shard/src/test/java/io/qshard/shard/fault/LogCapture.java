package io.qshard.shard.fault;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.LoggerFactory;

/** Keeps every log line of this JVM (message and throwable text) from its start until {@link #close}. Thread-safe. */
final class LogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {
    private final Queue<String> lines = new ConcurrentLinkedQueue<>();
    private final Logger root;

    LogCapture() {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        setContext(ctx);
        setName("fault-campaign-capture");
        start();
        root.addAppender(this);
    }

    @Override
    protected void append(ILoggingEvent e) {
        String t =
                e.getThrowableProxy() == null ? "" : " " + e.getThrowableProxy().getMessage();
        lines.add(e.getLevel() + " " + e.getLoggerName() + " " + e.getFormattedMessage() + t);
    }

    /** Lines containing every one of {@code parts}. */
    long count(String... parts) {
        return lines.stream()
                .filter(l -> {
                    for (String p : parts) {
                        if (!l.contains(p)) {
                            return false;
                        }
                    }
                    return true;
                })
                .count();
    }

    @Override
    public void close() {
        root.detachAppender(this);
        stop();
    }
}
