package io.b24bridge.pbx;

/** An action for a PBX whose AMI link is not up (or was lost while the action was in flight). */
public final class PbxUnavailableException extends RuntimeException {

    public PbxUnavailableException(String message) {
        super(message);
    }

    public PbxUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
