package io.b24bridge.testkit.bitrix;

import java.util.List;

/**
 * A method's answer: {@code result}, and for list methods {@code total} and {@code next} (§1: pages of 50,
 * {@code start=} to page; {@code next} only when there is more).
 */
record Reply(Object result, Integer total, Integer next) {

    static final int PAGE = 50;

    static Reply of(Object result) {
        return new Reply(result, null, null);
    }

    /** One page of {@code all} from {@code start}. */
    static <T> Reply page(List<T> all, Integer start) {
        int from = start == null || start < 0 ? 0 : Math.min(start, all.size());
        int to = Math.min(from + PAGE, all.size());
        Integer next = to < all.size() ? to : null;
        return new Reply(List.copyOf(all.subList(from, to)), all.size(), next);
    }
}
