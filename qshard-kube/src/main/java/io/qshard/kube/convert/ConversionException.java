package io.qshard.kube.convert;

/**
 * An API object qshard cannot turn into a core record (bad quantity, unknown taint effect…). The object
 * is reported (log, metric, Event) and skipped; it never stops the scheduler.
 */
public final class ConversionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConversionException(String message) {
        super(message);
    }

    public ConversionException(String message, Throwable cause) {
        super(message, cause);
    }
}
