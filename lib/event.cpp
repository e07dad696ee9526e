// lib/event.cpp: event kind names.
#include "lib/event.hpp"

namespace nexadex {

std::string_view kind_name(const EventBody& body) {
  struct Name {
    std::string_view operator()(const JournalCreated&) const { return "journal_created"; }
    std::string_view operator()(const ConfigApplied&) const { return "config_applied"; }
    std::string_view operator()(const PriceSet&) const { return "price_set"; }
  };
  return std::visit(Name{}, body);
}

}  // namespace nexadex
