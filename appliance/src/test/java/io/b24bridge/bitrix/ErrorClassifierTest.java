package io.b24bridge.bitrix;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The box's answers sorted into what to do, by code and the box's own texts, never by a loose "not found". */
class ErrorClassifierTest {

    private static BoxException finish(String code, String description) {
        return ErrorClassifier.classify(TelephonyApi.FINISH, 400, code, description);
    }

    @Test
    void aSecondFinishIsRecognisedAsTheBoxWritesItAndAsTheDocsDo() {
        // the box's source: a RestException without a code, and no closing parenthesis
        assertTrue(ErrorClassifier.callAlreadyFinished(finish("",
                "Call is not found (call should be registered prior to finishing")));
        // the REST docs (and the emulator): ERROR_CORE, with the parenthesis
        assertTrue(ErrorClassifier.callAlreadyFinished(finish("ERROR_CORE",
                "Call is not found (call should be registered prior to finishing)")));
    }

    @Test
    void otherFailuresThatSayNotFoundAreNotTakenForIt() {
        assertFalse(ErrorClassifier.callAlreadyFinished(finish("", "User is not found or is not active")));
        assertFalse(ErrorClassifier.callAlreadyFinished(finish("ERROR_CORE", "Call is not found")),
                "show's and hide's text, not finish's");
        assertFalse(ErrorClassifier.callAlreadyFinished(finish("ERROR_METHOD_NOT_FOUND", "Method not found!")));
        assertFalse(ErrorClassifier.callAlreadyFinished(ErrorClassifier.classify(TelephonyApi.SHOW, 400, "",
                "Call is not found (call should be registered prior to finishing")), "only a finish");
        BoxException busy = ErrorClassifier.classify(TelephonyApi.FINISH, 503, "",
                "Call is not found (call should be registered prior to finishing");
        assertInstanceOf(BoxException.Retryable.class, busy, "a server status is passing trouble");
        assertFalse(ErrorClassifier.callAlreadyFinished(busy));
    }
}
