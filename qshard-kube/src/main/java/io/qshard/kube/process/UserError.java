package io.qshard.kube.process;

/**
 * A failure the operator can fix (bad flag, missing file, unreachable apiserver). The CLI prints its
 * message as one line prefixed with {@code error:} and exits with {@link #EXIT_CODE}; no stack trace.
 */
public final class UserError extends RuntimeException {
    /** Exit status for errors the operator can fix. */
    public static final int EXIT_CODE = 2;

    private static final long serialVersionUID = 1L;

    public UserError(String message) {
        super(message);
    }

    public UserError(String message, Throwable cause) {
        super(message, cause);
    }
}
