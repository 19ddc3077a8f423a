package io.b24bridge.testkit.bitrix;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A box user (employee): what {@code user.get} and {@code searchCrmEntities} tell about them (§2, §4).
 *
 * @param innerPhone    {@code UF_PHONE_INNER}, the extension
 * @param timemanStatus OPENED / CLOSED / PAUSED / EXPIRED / UNAVAILABLE / NOT_INSTALLED (searchCrmEntities)
 */
public record User(int id, String name, String lastName, String innerPhone, String mobile, String workPhone,
                   String personalPhone, boolean active, String timemanStatus) {

    public User {
        name = name == null ? "" : name;
        lastName = lastName == null ? "" : lastName;
        timemanStatus = timemanStatus == null || timemanStatus.isBlank() ? "OPENED" : timemanStatus;
    }

    /** An active user with an extension and a mobile, the common case of the tests. */
    public static User of(int id, String name, String innerPhone, String mobile) {
        return new User(id, name, "", innerPhone, mobile, null, null, true, "OPENED");
    }

    public String fullName() {
        return (name + " " + lastName).strip();
    }

    /** The {@code user.get} shape: ids as strings, as PHP returns them. */
    Map<String, Object> rest() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ID", String.valueOf(id));
        m.put("ACTIVE", active);
        m.put("NAME", name);
        m.put("LAST_NAME", lastName);
        m.put("SECOND_NAME", "");
        m.put("EMAIL", "user" + id + "@box.local");
        m.put("IS_ONLINE", "N");
        m.put("UF_PHONE_INNER", innerPhone);
        m.put("PERSONAL_MOBILE", mobile == null ? "" : mobile);
        m.put("WORK_PHONE", workPhone == null ? "" : workPhone);
        m.put("PERSONAL_PHONE", personalPhone == null ? "" : personalPhone);
        m.put("USER_TYPE", "employee");
        return m;
    }
}
