// Fuzz target: opening a scores file on any bytes as an .h5 file and reading every dataset
// select and export read (see contract.hpp). The corpus holds scores files quarry wrote.
#include "files/scores/scores_file.hpp"
#include "fuzz/contract.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto file = quarry::fuzz::input_file(data, size, "scores.h5");
  quarry::fuzz::expect_success_or_input_error(file.string(), [&] {
    const auto scores = quarry::score::ScoresFile::open(file);
    scores.ids().read_all<std::uint64_t>();
    scores.pred().read_all<std::int32_t>();
    scores.probs().read_all<quarry::Float16>();
    scores.embeddings().read_all<quarry::Float16>();
    for (const auto& acquisition : scores.meta().acquisitions)
      scores.score(acquisition).read_all<float>();
  });
  return 0;
}
