#include "core/log.hpp"

#include <spdlog/sinks/stdout_sinks.h>

#include <cstdlib>
#include <string>

namespace quarry::logging {

namespace {
int g_rank = 0;

void configure(const std::string& prefix) {
  static auto logger = [] {
    auto created = spdlog::stderr_logger_mt("quarry");
    spdlog::set_default_logger(created);
    return created;
  }();
  logger->set_pattern("[%H:%M:%S" + prefix + "] %^%l%$: %v");
  logger->flush_on(spdlog::level::info);
}

const char* first_env(std::initializer_list<const char*> names) {
  for (const char* name : names)
    if (const char* value = std::getenv(name)) return value;
  return nullptr;
}
}  // namespace

void init_from_environment() {
  const char* rank = first_env({"OMPI_COMM_WORLD_RANK", "PMI_RANK", "PMIX_RANK", "SLURM_PROCID"});
  const char* size = first_env({"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "SLURM_NTASKS"});
  if (rank) g_rank = std::atoi(rank);
  if (rank && size && std::string(size) != "1")
    configure(std::string(" rank ") + rank);
  else
    configure("");
  set_level_from_environment();
}

int rank() {
  return g_rank;
}

void set_rank(int rank, int size) {
  g_rank = rank;
  configure(size > 1 ? " rank " + std::to_string(rank) : std::string());
}

void set_level_from_environment() {
  const char* level = std::getenv("QUARRY_LOG_LEVEL");
  spdlog::set_level(level ? spdlog::level::from_str(level) : spdlog::level::info);
}

}  // namespace quarry::logging
