// tests/fuzz/codec_fuzz.cpp: the event payload decoder (journal/codec.hpp). The input is
// "<kind>\n<payload>". A decoded payload is canonical: encoding the event again gives exactly the
// bytes decoded (one event, one byte form), of the same kind; every refusal is an
// ErrorKind::discrepancy value.
#include "journal/codec.hpp"
#include "tests/fuzz/fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  using namespace nexadex;
  const std::string_view input = fuzz::as_text(data, size);
  const auto nl = input.find('\n');
  if (nl == std::string_view::npos) return 0;
  const std::string_view kind = input.substr(0, nl);
  const std::string_view payload = input.substr(nl + 1);
  const auto body = journal::decode_payload(kind, payload);
  if (!body) {
    FUZZ_CHECK(body.error().kind == ErrorKind::discrepancy, body.error().message);
    return 0;
  }
  FUZZ_CHECK(kind_name(*body) == kind, std::string(kind_name(*body)) + " decoded from a " + std::string(kind));
  const std::string encoded = journal::encode_payload(*body);
  FUZZ_CHECK(encoded == payload, "decoded " + std::string(payload) + " re-encodes as " + encoded);
  // and the hash of the row is defined (64 lowercase hex digits)
  const std::string hash = journal::chain_hash(journal::k_genesis_prev_hash, 1, 0, kind, payload);
  FUZZ_CHECK(hash.size() == 64 && hash.find_first_not_of("0123456789abcdef") == std::string::npos, hash);
  return 0;
}
