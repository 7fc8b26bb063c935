// Fuzz target: read_selection on any bytes as an .h5 file (see contract.hpp). The corpus holds
// selection files quarry wrote.
#include "files/selection/selection_file.hpp"
#include "fuzz/contract.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto file = quarry::fuzz::input_file(data, size, "selection.h5");
  quarry::fuzz::expect_success_or_input_error(file.string(),
                                              [&] { quarry::select::read_selection(file); });
  return 0;
}
