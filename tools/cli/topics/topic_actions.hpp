// The five actions of brokkr-topics, one file each. Each prints what Kafka's
// TopicCommand prints and returns the exit code; failures throw.
#pragma once

#include "admin/admin_client.hpp"
#include "common/command_line.hpp"

namespace brokkr::cli::topics {

int create_topic(const CommandLine& command_line, client::admin::AdminClient& admin);
int list_topics(const CommandLine& command_line, client::admin::AdminClient& admin);
int describe_topics(const CommandLine& command_line, client::admin::AdminClient& admin);
int delete_topics(const CommandLine& command_line, client::admin::AdminClient& admin);
int alter_topic(const CommandLine& command_line, client::admin::AdminClient& admin);

}  // namespace brokkr::cli::topics
