package io.b24bridge.routing;

import java.util.Optional;

/** The CRM directory when no Bitrix24 box is configured: nothing is known, routes use their fallbacks. */
public final class CrmUnavailable implements CrmDirectory {

    @Override
    public Optional<Owner> ownerOf(String number, String mobileField) throws Unavailable {
        throw new Unavailable("no Bitrix24 box is configured", null);
    }

    @Override
    public Optional<Person> person(int userId, String mobileField) throws Unavailable {
        throw new Unavailable("no Bitrix24 box is configured", null);
    }
}
