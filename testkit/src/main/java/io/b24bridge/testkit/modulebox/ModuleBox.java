package io.b24bridge.testkit.modulebox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A Bitrix24 box with the b24bridge.connector module, as the contract fixtures in {@code box-module/contract/} see
 * it (format: {@code box-module/contract/README.md}). Implemented by the served PHP module ({@link ServedModuleBox})
 * and by the box emulator's {@code with-module} deployment ({@link EmulatedModuleBox}): both play every fixture the
 * same way.
 * <p>
 * A connection is {@code appliance}, {@code other-certificate}, {@code box-port} or {@code box-port-forged}.
 */
public interface ModuleBox {

    /** A fresh box with the module installed and armed: the variables clientId, credential, applicationToken, host, boxHost. */
    ObjectNode reset();

    /** POST of the form to the module's token endpoint. */
    Answer token(ObjectNode form, String connection);

    /** POST /rest/{method} with the parameters form-encoded. */
    Answer rest(String method, ObjectNode params, String connection);

    /** A box-side action: click, callbackForm, arm, disarm (the fixture step, "box" naming the action). */
    void box(ObjectNode action);

    /** An HTTP status and the JSON answer. */
    record Answer(int status, JsonNode body) {
    }
}
