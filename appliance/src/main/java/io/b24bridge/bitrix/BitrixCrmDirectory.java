package io.b24bridge.bitrix;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import io.b24bridge.routing.CrmDirectory;

/**
 * Routing's view of the CRM over Bitrix24: {@code telephony.externalCall.searchCrmEntities} tells a number's
 * entities with their responsible's extension, mobile and workday in one request (contract §2); the user
 * directory ({@code user.get}) fills what the match lacks and answers for a route's default responsible.
 *
 * <p>The choice among several matches is the box's own when it binds a call: a CONTACT before a COMPANY, a LEAD
 * only when neither exists (box 26.250 crm/lib/integrity/actualentityselector.php:1022-1027), and within a type
 * the box's order — so the call is routed to the responsible of the entity register binds it to. (The box lists
 * searchCrmEntities as CONTACT, LEAD, COMPANY, voximplant/lib/rest/helper.php:1291: that list is not its choice.)
 * The first match with a responsible wins.
 */
public final class BitrixCrmDirectory implements CrmDirectory {

    private static final List<String> TYPE_ORDER = List.of("CONTACT", "COMPANY", "LEAD");

    private final TelephonyApi telephony;
    private final CrmApi crm;
    private final UserDirectory users;

    public BitrixCrmDirectory(TelephonyApi telephony, CrmApi crm, UserDirectory users) {
        this.telephony = telephony;
        this.crm = crm;
        this.users = users;
    }

    @Override
    public Optional<Owner> ownerOf(String number, String mobileField) throws Unavailable {
        try {
            Optional<TelephonyApi.CrmMatch> match = telephony.searchCrmEntities(number).stream()
                    .filter(m -> m.responsibleId() != null)
                    .sorted(Comparator.comparingInt(m -> rank(m.entityType())))
                    .findFirst();
            if (match.isEmpty()) {
                return Optional.empty();
            }
            TelephonyApi.CrmMatch m = match.get();
            String extension = m.responsibleExtension();
            String mobile = "PERSONAL_MOBILE".equals(mobileField) ? m.responsibleMobile() : null;
            if (extension == null || mobile == null) {
                Optional<Person> fromDirectory = person(m.responsibleId(), mobileField);
                extension = extension != null ? extension : fromDirectory.map(Person::extension).orElse(null);
                mobile = mobile != null ? mobile : fromDirectory.map(Person::mobile).orElse(null);
            }
            return Optional.of(new Owner(m.entityType(), m.entityId(),
                    new Person(m.responsibleId(), extension, mobile, m.responsibleWorkday())));
        } catch (BoxException e) {
            throw new Unavailable(e.getMessage(), e);
        }
    }

    @Override
    public Optional<Person> person(int userId, String mobileField) throws Unavailable {
        try {
            Optional<CrmApi.User> user = users.byId(userId);
            String mobile = switch (mobileField) {
                case "PERSONAL_MOBILE" -> user.map(CrmApi.User::mobile).orElse(null);
                case "WORK_PHONE" -> user.map(CrmApi.User::workPhone).orElse(null);
                default -> crm.userField(userId, mobileField).orElse(null);
            };
            if (user.isEmpty() && mobile == null) {
                return Optional.empty();
            }
            return Optional.of(new Person(userId, user.map(CrmApi.User::extension).orElse(null), mobile, null));
        } catch (BoxException e) {
            throw new Unavailable(e.getMessage(), e);
        }
    }

    private static int rank(String entityType) {
        int i = TYPE_ORDER.indexOf(entityType == null ? "" : entityType.toUpperCase(Locale.ROOT));
        return i < 0 ? TYPE_ORDER.size() : i;
    }
}
