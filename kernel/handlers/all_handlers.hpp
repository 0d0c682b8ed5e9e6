// Registers the handler of every API this broker serves, with the services
// each one needs.
#pragma once

#include <boost/asio/io_context.hpp>

#include "handlers/handler_registry.hpp"

namespace brokkr::config { struct BrokerConfig; }
namespace brokkr::cluster { class MetadataCache; class TopicAdmin; }
namespace brokkr::partition { class PartitionManager; }
namespace brokkr::sdk { class ClusterCoordinator; }
namespace brokkr::groups::consumer { class ConsumerGroupManager; }
namespace brokkr::groups { class GroupCoordinator; }

namespace brokkr::handlers {

struct BrokerServices {
  boost::asio::io_context& io;
  const config::BrokerConfig& config;
  cluster::MetadataCache& metadata;
  sdk::ClusterCoordinator& coordinator;
  cluster::TopicAdmin* topic_admin = nullptr;            // null until wired
  partition::PartitionManager* partitions = nullptr;     // null until wired
  groups::consumer::ConsumerGroupManager* consumer_groups = nullptr;  // KIP-848; null: not offered
  groups::GroupCoordinator* group_coordinator = nullptr;  // classic groups; null until wired
};

void register_all_handlers(HandlerRegistry& registry, BrokerServices& services);

}  // namespace brokkr::handlers
