#pragma once
// The optimizers and learning-rate schedules `quarry train` knows, each family one table (in
// train_names.cpp): names are parsed once, on the command line, and are enums past it.
#include <string>

namespace quarry::train {

enum class Optimizer { adam, sgd };
enum class Schedule { cosine, constant, step };

// UsageError "--optimizer 'X' is not one of adam, sgd" (likewise --schedule).
Optimizer parse_optimizer(const std::string& name);
Schedule parse_schedule(const std::string& name);
const char* name_of(Optimizer optimizer);
const char* name_of(Schedule schedule);

}  // namespace quarry::train
