#include "ingest/rejects_file.hpp"

#include <fmt/format.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/text.hpp"

namespace quarry::ingest {

std::filesystem::path rejects_path(const std::filesystem::path& ledger, std::int32_t round) {
  return fmt::format("{}.round-{:04}.rejected.jsonl", ledger.string(), round);
}

std::unique_ptr<AtomicOutput> prepare_rejects_file(const std::filesystem::path& ledger,
                                                   std::int32_t round,
                                                   const std::vector<RejectedRecord>& rejected) {
  auto out = std::make_unique<AtomicOutput>(rejects_path(ledger, round), Overwrite::replace);
  {
    std::ofstream stream(out->temp_path());
    for (const auto& r : rejected)
      stream << nlohmann::ordered_json{{"file", escape_for_display(r.file)},
                                       {"where", escape_for_display(r.where)},
                                       {"problem", escape_for_display(r.problem)}}
                    .dump()
             << '\n';
    if (!stream) throw Error("cannot write " + out->temp_path().string());
  }
  out->flush();
  return out;
}

}  // namespace quarry::ingest
