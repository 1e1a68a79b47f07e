package io.qshard.localcluster;

/**
 * The local control plane could not be installed, started or reached. The message is one line
 * that says what failed and how to fix it; it is meant to be shown to an operator as is.
 */
public final class ControlPlaneException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ControlPlaneException(String message) {
        super(message);
    }

    public ControlPlaneException(String message, Throwable cause) {
        super(message, cause);
    }
}
