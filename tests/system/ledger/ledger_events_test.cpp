// The ledger's event encoding:
//   - every valid event of every type survives encode -> decode (by hand and for arbitrary events);
//   - decode is total and exact: arbitrary bytes, and valid encodings with random damage, never
//     crash it, and whatever it accepts re-encodes to exactly the bytes it was given;
//   - each invalid form is refused: another format byte, an unknown type, a non-positive amount
//     of a money event, a non-zero amount of an opening, a transfer without its id or
//     counterparty (and a non-transfer with either), truncations, trailing bytes, strings over
//     k_name_bytes_max and string lengths that point past the end;
//   - poison_payload never decodes, whatever its number;
//   - account_stream and account_of are inverse; transfer event ids derive from the transfer.

#include "system/ledger/ledger_events.hpp"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <cstdint>
#include <iterator>
#include <limits>
#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <vector>

#include "system/store/wire.hpp"

namespace stormlog::system::ledger {

// RapidCheck prints counterexamples with this.
void showValue(const LedgerEvent& e, std::ostream& os) {
    os << to_string(e.type) << "{amount " << e.amount << ", transfer '" << e.transfer
       << "', counterparty '" << e.counterparty << "'}";
}

namespace {

using Bytes = std::vector<uint8_t>;

constexpr EventType k_all_types[] = {EventType::opened, EventType::deposited, EventType::withdrawn,
                                     EventType::transfer_debited, EventType::transfer_credited};

bool is_transfer(EventType t) {
    return t == EventType::transfer_debited || t == EventType::transfer_credited;
}

// The encoding written field by field, so tests can build forms encode() never produces.
Bytes raw(uint8_t format, uint8_t type, int64_t amount, const std::string& transfer,
          const std::string& counterparty) {
    Bytes out;
    store::wire::Writer w(out);
    w.u8(format);
    w.u8(type);
    w.i64(amount);
    w.str(transfer);
    w.str(counterparty);
    return out;
}

Bytes raw(const LedgerEvent& e) {
    return raw(k_ledger_format, static_cast<uint8_t>(e.type), e.amount, e.transfer, e.counterparty);
}

// A valid event of type `t` (the smallest one, for hand-written cases).
LedgerEvent valid(EventType t) {
    LedgerEvent e;
    e.type = t;
    e.amount = t == EventType::opened ? 0 : 25;
    if (is_transfer(t)) {
        e.transfer = "t-7";
        e.counterparty = "bob";
    }
    return e;
}

// ---- Generators ----------------------------------------------------------------------------

rc::Gen<std::string> gen_string(size_t min, size_t max) {
    return rc::gen::mapcat(rc::gen::inRange<size_t>(min, max + 1), [](size_t n) {
        return rc::gen::container<std::string>(n, rc::gen::arbitrary<char>());
    });
}

rc::Gen<Bytes> gen_bytes(size_t max) {
    return rc::gen::mapcat(rc::gen::inRange<size_t>(0, max + 1), [](size_t n) {
        return rc::gen::container<Bytes>(n, rc::gen::arbitrary<uint8_t>());
    });
}

// Any valid event: names of every length up to the limit (both ends included).
rc::Gen<LedgerEvent> gen_event() {
    return rc::gen::exec([] {
        LedgerEvent e;
        e.type = *rc::gen::elementOf(
            std::vector<EventType>(std::begin(k_all_types), std::end(k_all_types)));
        if (e.type != EventType::opened) {
            e.amount =
                *rc::gen::oneOf(rc::gen::inRange<int64_t>(1, 1000),
                                rc::gen::element(int64_t{1}, std::numeric_limits<int64_t>::max()),
                                rc::gen::positive<int64_t>());
        }
        if (is_transfer(e.type)) {
            e.transfer = *rc::gen::oneOf(gen_string(1, 8), gen_string(1, k_name_bytes_max),
                                         rc::gen::just(std::string(k_name_bytes_max, 't')));
            e.counterparty = *rc::gen::oneOf(gen_string(1, 8), gen_string(1, k_name_bytes_max));
        }
        return e;
    });
}

// A valid encoding with random damage: overwritten bytes, a cut, or appended bytes.
Bytes damaged(Bytes b) {
    const int what = *rc::gen::inRange(0, 3);
    if (what == 0) {
        const size_t n = *rc::gen::inRange<size_t>(1, 4);
        for (size_t i = 0; i < n; ++i)
            b[*rc::gen::inRange<size_t>(0, b.size())] = *rc::gen::arbitrary<uint8_t>();
    } else if (what == 1) {
        b.resize(*rc::gen::inRange<size_t>(0, b.size()));
    } else {
        const Bytes tail = *gen_bytes(8);
        b.insert(b.end(), tail.begin(), tail.end());
    }
    return b;
}

// ---- Round trips ---------------------------------------------------------------------------

TEST(LedgerEventTest, EveryTypeRoundTripsAndHasItsName) {
    const char* names[] = {"AccountOpened", "FundsDeposited", "FundsWithdrawn", "TransferDebited",
                           "TransferCredited"};
    for (size_t i = 0; i < std::size(k_all_types); ++i) {
        const LedgerEvent e = valid(k_all_types[i]);
        EXPECT_EQ(decode(encode(e)), e) << to_string(e.type);
        EXPECT_EQ(encode(e), raw(e)) << "the documented layout";
        EXPECT_STREQ(to_string(e.type), names[i]);
    }
}

TEST(LedgerEventTest, LargestAmountAndLongestNamesRoundTrip) {
    LedgerEvent e;
    e.type = EventType::transfer_credited;
    e.amount = std::numeric_limits<int64_t>::max();
    e.transfer = std::string(k_name_bytes_max, 'x');
    e.counterparty = std::string(k_name_bytes_max, '\xff');
    EXPECT_EQ(decode(encode(e)), e);
}

RC_GTEST_PROP(LedgerEventProperty, EncodeDecodeRoundTripsEveryValidEvent, ()) {
    const LedgerEvent e = *gen_event();
    RC_TAG(to_string(e.type));
    const std::optional<LedgerEvent> back = decode(encode(e));
    RC_ASSERT(back.has_value());
    RC_ASSERT(*back == e);
}

// ---- Totality and exactness ----------------------------------------------------------------

RC_GTEST_PROP(LedgerEventProperty, DecodeOfArbitraryBytesIsTotalAndExact, ()) {
    const Bytes bytes = *gen_bytes(300);
    const std::optional<LedgerEvent> e = decode(bytes);
    RC_TAG(e.has_value());
    if (e) RC_ASSERT(encode(*e) == bytes);
}

RC_GTEST_PROP(LedgerEventProperty, DecodeOfDamagedEncodingsIsExact, ()) {
    const Bytes original = encode(*gen_event());
    const Bytes bytes = damaged(original);
    const std::optional<LedgerEvent> e = decode(bytes);
    RC_TAG(e ? (bytes == original ? "same bytes" : "still valid") : "refused");
    if (e) RC_ASSERT(encode(*e) == bytes);
}

RC_GTEST_PROP(LedgerEventProperty, EveryTruncationAndExtensionIsRefused, ()) {
    const Bytes bytes = encode(*gen_event());
    for (size_t n = 0; n < bytes.size(); ++n) {
        RC_ASSERT(!decode(std::span<const uint8_t>(bytes).first(n)));
    }
    Bytes longer = bytes;
    longer.push_back(*rc::gen::arbitrary<uint8_t>());
    RC_ASSERT(!decode(longer));
}

// ---- Each invalid form -----------------------------------------------------------------------

TEST(LedgerEventTest, RefusesAnotherFormatByte) {
    for (const EventType t : k_all_types) {
        const LedgerEvent e = valid(t);
        for (const int format : {0, k_ledger_format + 1, 0xff}) {
            EXPECT_FALSE(decode(raw(static_cast<uint8_t>(format), static_cast<uint8_t>(t), e.amount,
                                    e.transfer, e.counterparty)))
                << to_string(t) << " format " << format;
        }
    }
}

TEST(LedgerEventTest, RefusesUnknownTypes) {
    for (const int type : {0, 6, 7, 0x80, 0xff}) {
        EXPECT_FALSE(decode(raw(k_ledger_format, static_cast<uint8_t>(type), 25, "", ""))) << type;
        EXPECT_FALSE(decode(raw(k_ledger_format, static_cast<uint8_t>(type), 25, "t", "bob")))
            << type;
        EXPECT_FALSE(decode(raw(k_ledger_format, static_cast<uint8_t>(type), 0, "", ""))) << type;
    }
}

TEST(LedgerEventTest, RefusesNonPositiveAmountsOfMoneyEvents) {
    for (const EventType t : k_all_types) {
        if (t == EventType::opened) continue;
        for (const int64_t amount :
             {int64_t{0}, int64_t{-1}, int64_t{-25}, std::numeric_limits<int64_t>::min()}) {
            LedgerEvent e = valid(t);
            e.amount = amount;
            EXPECT_FALSE(decode(raw(e))) << to_string(t) << " amount " << amount;
        }
        LedgerEvent one = valid(t);
        one.amount = 1;
        EXPECT_TRUE(decode(raw(one))) << to_string(t) << ": 1 is the smallest amount";
    }
}

TEST(LedgerEventTest, RefusesAnOpeningWithAnAmount) {
    for (const int64_t amount : {int64_t{1}, int64_t{-1}, std::numeric_limits<int64_t>::max()}) {
        LedgerEvent e = valid(EventType::opened);
        e.amount = amount;
        EXPECT_FALSE(decode(raw(e))) << amount;
    }
}

TEST(LedgerEventTest, RefusesATransferWithoutIdOrCounterparty) {
    for (const EventType t : {EventType::transfer_debited, EventType::transfer_credited}) {
        LedgerEvent no_id = valid(t);
        no_id.transfer.clear();
        EXPECT_FALSE(decode(raw(no_id))) << to_string(t);
        LedgerEvent no_counterparty = valid(t);
        no_counterparty.counterparty.clear();
        EXPECT_FALSE(decode(raw(no_counterparty))) << to_string(t);
        LedgerEvent neither = valid(t);
        neither.transfer.clear();
        neither.counterparty.clear();
        EXPECT_FALSE(decode(raw(neither))) << to_string(t);
    }
}

TEST(LedgerEventTest, RefusesATransferIdOrCounterpartyOnOtherEvents) {
    for (const EventType t : {EventType::opened, EventType::deposited, EventType::withdrawn}) {
        LedgerEvent with_id = valid(t);
        with_id.transfer = "t-1";
        EXPECT_FALSE(decode(raw(with_id))) << to_string(t);
        LedgerEvent with_counterparty = valid(t);
        with_counterparty.counterparty = "bob";
        EXPECT_FALSE(decode(raw(with_counterparty))) << to_string(t);
    }
}

TEST(LedgerEventTest, RefusesTrailingBytes) {
    for (const EventType t : k_all_types) {
        for (const uint8_t extra : {uint8_t{0}, uint8_t{1}, uint8_t{0xff}}) {
            Bytes b = encode(valid(t));
            b.push_back(extra);
            EXPECT_FALSE(decode(b)) << to_string(t);
        }
    }
}

TEST(LedgerEventTest, RefusesNamesOverTheLimit) {
    const std::string longest(k_name_bytes_max, 'n'), too_long(k_name_bytes_max + 1, 'n');
    EXPECT_TRUE(decode(raw(k_ledger_format, 4, 5, longest, longest)));
    EXPECT_FALSE(decode(raw(k_ledger_format, 4, 5, too_long, "bob")));
    EXPECT_FALSE(decode(raw(k_ledger_format, 5, 5, "t", too_long)));
    // encode() asserts the limit: an oversized name would make bytes nobody can decode.
    LedgerEvent e = valid(EventType::transfer_debited);
    e.counterparty = too_long;
    EXPECT_DEATH(encode(e), "assertion failed: .*e.counterparty.size\\(\\) <= k_name_bytes_max");
}

TEST(LedgerEventTest, RefusesStringLengthsPastTheEnd) {
    Bytes b = encode(valid(EventType::transfer_debited));
    // The transfer id's length field sits after format, type and amount.
    const size_t length_at = 1 + 1 + 8;
    for (const uint32_t forged :
         {uint32_t{100}, uint32_t{k_name_bytes_max}, std::numeric_limits<uint32_t>::max()}) {
        Bytes f = b;
        for (int i = 0; i < 4; ++i)
            f[length_at + static_cast<size_t>(i)] = static_cast<uint8_t>(forged >> (8 * i));
        EXPECT_FALSE(decode(f)) << forged;
    }
}

TEST(LedgerEventTest, RefusesEmptyAndTinyInputs) {
    EXPECT_FALSE(decode(Bytes{}));
    EXPECT_FALSE(decode(Bytes{k_ledger_format}));
    EXPECT_FALSE(decode(Bytes{k_ledger_format, 1}));
}

// ---- Poison ----------------------------------------------------------------------------------

TEST(LedgerEventTest, PoisonCarriesTheNextFormatByte) {
    const Bytes p = poison_payload(7);
    ASSERT_FALSE(p.empty());
    EXPECT_EQ(p[0], k_ledger_format + 1);
    EXPECT_NE(poison_payload(7), poison_payload(8)) << "poison events are distinguishable";
    EXPECT_FALSE(decode(p));
}

RC_GTEST_PROP(LedgerEventProperty, PoisonPayloadNeverDecodes, (uint64_t n)) {
    RC_ASSERT(!decode(poison_payload(n)));
    // Not even if it happened to be followed by what looks like an event.
    Bytes p = poison_payload(n);
    const Bytes tail = encode(*gen_event());
    p.insert(p.end(), tail.begin(), tail.end());
    RC_ASSERT(!decode(p));
}

// ---- Streams and ids -------------------------------------------------------------------------

TEST(LedgerStreamTest, AccountStreamsAreRecognised) {
    EXPECT_EQ(account_stream("alice"), "acct-alice");
    EXPECT_EQ(account_of("acct-alice"), "alice");
    EXPECT_EQ(account_of("acct-a-b"), "a-b");
    EXPECT_EQ(account_of("acct-acct-x"), "acct-x");
    EXPECT_FALSE(account_of("acct-")) << "no account has an empty name";
    EXPECT_FALSE(account_of("acct"));
    EXPECT_FALSE(account_of(""));
    EXPECT_FALSE(account_of("Acct-alice"));
    EXPECT_FALSE(account_of("xacct-alice"));
    EXPECT_FALSE(account_of("$parked-acct-alice"));
    EXPECT_FALSE(account_of("memo-1"));
}

RC_GTEST_PROP(LedgerStreamProperty, AccountOfInvertsAccountStream, ()) {
    const std::string account = *gen_string(1, 64);
    RC_ASSERT(account_of(account_stream(account)) == account);
}

RC_GTEST_PROP(LedgerStreamProperty, AccountStreamInvertsAccountOf, ()) {
    const auto prefixed_gen =
        rc::gen::map(gen_string(0, 12), [](std::string s) { return "acct-" + s; });
    const std::string stream = *rc::gen::oneOf(gen_string(0, 12), prefixed_gen);
    const std::optional<std::string> account = account_of(stream);
    const bool prefixed = stream.size() > 5 && stream.rfind("acct-", 0) == 0;
    RC_ASSERT(account.has_value() == prefixed);
    if (account) RC_ASSERT(account_stream(*account) == stream);
}

TEST(LedgerStreamTest, NamesAreShortAndFreeOfSeparators) {
    for (const char* ok : {"a0", "w1.2-17", "t-w1.2-17", "ACC_9"})
        EXPECT_TRUE(valid_name(ok)) << ok;
    EXPECT_TRUE(valid_name(std::string(64, 'x')));
    for (const char* bad : {"", "a@b", "a b", "a/b", "$parked", "\xc3\xa9"}) {
        EXPECT_FALSE(valid_name(bad)) << bad;
    }
    EXPECT_FALSE(valid_name(std::string(65, 'x')));
}

TEST(LedgerStreamTest, TransferIdsDeriveFromTheTransfer) {
    EXPECT_EQ(debit_id("t-9"), "t-9-debit");
    EXPECT_EQ(credit_id("t-9"), "t-9-credit");
    EXPECT_NE(debit_id("t-9"), credit_id("t-9"));
    EXPECT_EQ(credit_id("t-9"), credit_id(std::string("t-") + "9"))
        << "anyone can derive the credit's id";
    EXPECT_NE(credit_id("t-9"), credit_id("t-10"));
}

}  // namespace
}  // namespace stormlog::system::ledger
