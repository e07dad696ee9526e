// lib/event.cpp: event kind names.
#include "lib/event.hpp"

#include <utility>

namespace nexadex {

std::string_view kind_name(const EventBody& body) {
  struct Name {
    std::string_view operator()(const JournalCreated&) const { return "journal_created"; }
    std::string_view operator()(const ConfigApplied&) const { return "config_applied"; }
    std::string_view operator()(const PriceSet&) const { return "price_set"; }
    std::string_view operator()(const LpDeposited&) const { return "lp_deposited"; }
    std::string_view operator()(const LpWithdrew&) const { return "lp_withdrew"; }
    std::string_view operator()(const PositionOpened&) const { return "position_opened"; }
    std::string_view operator()(const PositionClosed&) const { return "position_closed"; }
    std::string_view operator()(const PositionLiquidated&) const { return "position_liquidated"; }
    std::string_view operator()(const InsuranceDeposited&) const { return "insurance_deposited"; }
    std::string_view operator()(const LossApplied&) const { return "loss_applied"; }
    std::string_view operator()(const LossAcknowledged&) const { return "loss_acknowledged"; }
    std::string_view operator()(const TrancheReset&) const { return "tranche_reset"; }
    std::string_view operator()(const RewardsClaimed&) const { return "rewards_claimed"; }
    std::string_view operator()(const LpAssetDeposited&) const { return "lp_asset_deposited"; }
    std::string_view operator()(const LpAssetWithdrew&) const { return "lp_asset_withdrew"; }
  };
  return std::visit(Name{}, body);
}

namespace {
template <std::size_t... I>
std::vector<std::string_view> names_of(std::index_sequence<I...>) {
  return {kind_name(EventBody(std::in_place_index<I>))...};
}
}  // namespace

std::vector<std::string_view> kind_names() { return names_of(std::make_index_sequence<std::variant_size_v<EventBody>>()); }

std::string_view side_name(Side side) { return side == Side::long_ ? "long" : "short"; }

int64_t rules_to_write(const Config& /*config*/, int64_t current) {
  return current > k_rules_version ? current : k_rules_version;
}

}  // namespace nexadex
