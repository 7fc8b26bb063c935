// Fuzz target: read_ledger on any bytes as an .h5 file (see contract.hpp). The corpus holds
// ledgers quarry wrote; libFuzzer mutates them.
#include "files/ledger/ledger.hpp"
#include "fuzz/contract.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto file = quarry::fuzz::input_file(data, size, "labels.h5");
  quarry::fuzz::expect_success_or_input_error(file.string(),
                                              [&] { quarry::ingest::read_ledger(file); });
  return 0;
}
