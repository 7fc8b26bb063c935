#include "ingest/readers/annotator_map.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/text.hpp"
#include "ingest/readers/json_fields.hpp"
#include "ingest/readers/record.hpp"

namespace quarry::ingest {

namespace {

const char* kHint =
    "save Label Studio's user list as JSON (GET /api/users): a list of users, each with an "
    "integer id and an email";

const nlohmann::json& user_list(const nlohmann::json& users, const std::string& file) {
  if (users.is_array()) return users;
  if (users.is_object() && users.contains("results") && users["results"].is_array())
    return users["results"];
  throw InputError(file, "top level", "is not a list of Label Studio users", kHint);
}

// One user's id and email; the problem otherwise (an empty string: none).
std::string user_problem(const nlohmann::json& user) {
  if (!user.is_object()) return "is not an object";
  const auto id = user.find("id");
  if (id == user.end() || !id->is_number_unsigned()) return "has no integer id";
  const auto email = user.find("email");
  if (email == user.end() || !email->is_string() || email->get<std::string>().empty())
    return "has no email";
  return name_problem(email->get<std::string>(), "email");
}

}  // namespace

AnnotatorMap read_annotator_map(const std::filesystem::path& file) {
  const std::string text = read_annotation_file(file);
  nlohmann::json users;
  try {
    users = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    throw InputError(file.string(), text_position(text, json_parse_offset(text, e)),
                     json_parse_problem(e), kHint);
  }
  AnnotatorMap map;
  const auto& list = user_list(users, file.string());
  for (std::size_t u = 0; u < list.size(); ++u) {
    const auto& user = list[u];
    const std::string where = fmt::format("user #{} in the list", u + 1);
    if (const auto problem = user_problem(user); !problem.empty())
      throw InputError(file.string(), where, problem, kHint);
    const auto id = user["id"].get<std::uint64_t>();
    const auto email = user["email"].get<std::string>();
    const auto [known, added] = map.emplace(id, email);
    if (!added && known->second != email)
      throw InputError(file.string(), fmt::format("{} (id {})", where, id),
                       fmt::format("has email {}, an earlier entry {}", email, known->second),
                       "one Label Studio server gives each user one id: use one server's list");
  }
  return map;
}

std::string label_studio_annotator(std::uint64_t id, const AnnotatorMap& map) {
  const auto it = map.find(id);
  return it != map.end() ? it->second : fmt::format("label-studio:{}", id);
}

}  // namespace quarry::ingest
